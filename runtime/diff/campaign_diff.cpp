#include "runtime/diff/campaign_diff.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "runtime/campaign.hpp"
#include "runtime/classifier.hpp"
#include "runtime/explain/explain.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

namespace {

constexpr const char* kRejected = "rejeté";

std::string source_of(const graph::RuleGraph& g, const SourceRange& r) {
  if (!g.sources || !r.valid() || r.file >= g.sources->size()) return {};
  return text::one_line(g.sources->file(r.file).slice(r));
}

std::string where(const graph::RuleGraph& g, const SourceRange& r) {
  if (!g.sources || !r.valid() || r.file >= g.sources->size()) return {};
  return fmt::format("{}:{}", g.sources->file(r.file).path, r.line);
}

std::string set_name(const graph::RuleGraph& g) {
  return g.version.empty() ? g.name : fmt::format("{} {}", g.name, g.version);
}

// The outcome of one row under one rule set.
struct Side {
  bool rejected = false;
  std::string reasons;
  std::string category, rule;
};

Side outcome(Classifier& c, const std::vector<std::string>& reasons) {
  Side s;
  if (!reasons.empty()) {
    s.rejected = true;
    s.reasons = fmt::format("{}", fmt::join(reasons, " ; "));
    s.category = kRejected;
    return s;
  }
  const auto& g = c.graph();
  if (g.decisions.empty()) return s;
  const auto& o = c.interpreter().decide(0);
  s.category = format_value(g, g.decisions[0].type, o.value);
  if (o.rule >= 0) s.rule = g.decisions[0].rules[static_cast<std::size_t>(o.rule)].name;
  if (o.rule == kFallbackRule && g.decisions[0].fallback) s.rule = g.decisions[0].fallback->name;
  return s;
}

// The index of the rule named `name` in `d` (kFallbackRule for its fallback).
std::optional<std::int32_t> rule_index(const graph::Decision& d, const std::string& name) {
  for (std::size_t i = 0; i < d.rules.size(); ++i) {
    if (d.rules[i].name == name) return static_cast<std::int32_t>(i);
  }
  if (d.fallback && d.fallback->name == name) return kFallbackRule;
  return std::nullopt;
}

// The explanation of one rule of the first decision for the row `c` has just classified;
// null when it cannot be written (text that is not UTF-8: such a row is rejected anyway).
nlohmann::json explain_first(Classifier& c, std::int32_t rule) {
  try {
    return explain_rule(c.graph(), c.interpreter(), c.record(), 0, rule);
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

bool applies(const nlohmann::json& e) {
  return !e.is_object() || e.value("applique", true);
}

// Why the deciding rule changed from `sa.rule` (under `a`) to `sb.rule` (under `b`): the
// rule that decided before, asked of the rules after, and the one that decides after,
// asked of the rules before.
std::vector<RuleReason> rule_reasons(Classifier& a, Classifier& b, const Side& sa, const Side& sb) {
  std::vector<RuleReason> out;
  const graph::Decision& da = a.graph().decisions[0];
  const graph::Decision& db = b.graph().decisions[0];
  if (sa.rule == sb.rule) {
    if (sa.category != sb.category && !sa.rule.empty())
      out.push_back({"résultat", sa.rule, "", "", nullptr});
    return out;
  }
  bool before_still_applies = false, after_applied_before = false;
  if (!sa.rule.empty()) {
    if (const auto x = rule_index(db, sa.rule); !x) {
      out.push_back({"retirée", sa.rule, "", "après", nullptr});
    } else if (auto e = explain_first(b, *x); applies(e)) {
      before_still_applies = true;
    } else {
      out.push_back({"ne s'applique plus", sa.rule, "", "après", std::move(e)});
    }
  }
  if (!sb.rule.empty()) {
    if (const auto y = rule_index(da, sb.rule); !y) {
      const auto z = rule_index(db, sb.rule);
      out.push_back(
          {"ajoutée", sb.rule, "", "après", z ? explain_first(b, *z) : nlohmann::json(nullptr)});
    } else if (auto e = explain_first(a, *y); applies(e)) {
      after_applied_before = true;
    } else {
      out.push_back({"ne s'appliquait pas", sb.rule, "", "avant", std::move(e)});
    }
  }
  if (before_still_applies && after_applied_before)
    out.push_back({"ordre", sb.rule, sa.rule, "", nullptr});
  return out;
}

}  // namespace

CampaignDiff diff_campaign(const graph::RuleGraph& before, const graph::RuleGraph& after,
                           std::istream& input, const CampaignOptions& options) {
  CampaignDiff diff;
  diff.before_name = set_name(before);
  diff.after_name = set_name(after);
  diff.before_fingerprint = before.fingerprint;
  diff.after_fingerprint = after.fingerprint;
  diff.rule_changes = diff_rules(before, after);
  if (!before.decisions.empty()) diff.decision = before.decisions[0].name;
  auto add_categories = [&](const graph::RuleGraph& g) {
    if (g.decisions.empty() || g.decisions[0].type.base != graph::Base::Enum ||
        g.decisions[0].type.set)
      return;
    for (const auto& v : g.enums[g.decisions[0].type.ref].values) {
      if (std::find(diff.categories.begin(), diff.categories.end(), v.code) ==
          diff.categories.end()) {
        diff.categories.push_back(v.code);
      }
    }
  };
  add_categories(before);
  add_categories(after);
  diff.categories.push_back(kRejected);

  io::CsvOptions csv_options;
  csv_options.separator = options.separator;
  io::CsvReader reader(input, csv_options);
  std::vector<std::string> header;
  if (!reader.read_header(header)) {
    diff.fatal_errors.push_back(empty_campaign_message());
    return diff;
  }
  // No summary is compared: none is counted (each is still checked for its errors).
  Classifier a(before, 0), b(after, 0);
  for (auto* c : {&a, &b}) {
    for (auto& e : c->bind(header))
      diff.fatal_errors.push_back(fmt::format("{} : {}", set_name(c->graph()), e));
  }
  if (!diff.fatal_errors.empty()) return diff;

  // Output columns and definitions the two sets share, by name.
  // Columns that only restate the decision (its value, label or rule) are left out:
  // the category and rule comparison already covers them, and a relabelled category
  // ("COP 2024" → "COP 2025") is a change of rules, not of the dossier.
  auto restates_decision = [](const graph::RuleGraph& g, graph::NodeId n) {
    const auto& node = g.nodes[n];
    if (node.op == graph::Op::Label) return g.nodes[node.a].op == graph::Op::Decision;
    return node.op == graph::Op::Decision || node.op == graph::Op::RuleName;
  };
  std::vector<std::pair<std::size_t, std::size_t>> outputs;
  for (std::size_t i = 0; i < before.outputs.size(); ++i) {
    for (std::size_t j = 0; j < after.outputs.size(); ++j) {
      if (before.outputs[i].name == after.outputs[j].name &&
          !restates_decision(before, before.outputs[i].node) &&
          !restates_decision(after, after.outputs[j].node)) {
        outputs.emplace_back(i, j);
      }
    }
  }
  // Definitions compared dossier by dossier: a constant of the rules on both sides
  // (`soit horizon = 2025-12-31`) has the same change for every dossier, which the
  // differences of the rules already list once.
  const std::vector<bool> varies_before = graph::dossier_dependent_nodes(before);
  const std::vector<bool> varies_after = graph::dossier_dependent_nodes(after);
  std::vector<std::pair<std::size_t, std::size_t>> lets;
  for (std::size_t i = 0; i < before.lets.size(); ++i) {
    for (std::size_t j = 0; j < after.lets.size(); ++j) {
      const graph::NodeId ra = before.lets[i].root, rb = after.lets[j].root;
      const bool constant =
          ra != graph::kNoNode && rb != graph::kNoNode && !varies_before[ra] && !varies_after[rb];
      if (before.lets[i].name == after.lets[j].name && !constant) lets.emplace_back(i, j);
    }
  }

  std::unordered_map<std::string, std::size_t> seen_a, seen_b;  // identifier key → line
  io::CsvRecord row;
  std::optional<io::CsvError> csv_error;
  while (reader.next(row, csv_error)) {
    ++diff.rows_read;
    auto classify = [&](Classifier& c, std::unordered_map<std::string, std::size_t>& seen) {
      auto reasons = c.classify(row, csv_error);
      const std::size_t column = c.id_column();
      const std::string id =
          column < row.fields.size() ? std::string(text::trim(row.fields[column])) : "";
      // As a campaign run: a rejected row's identifier counts too.
      if (std::string key; io::append_identifier_key(key, c.graph(), id)) {
        const auto [first, added] = seen.emplace(std::move(key), row.line);
        if (!added) reasons.push_back(io::duplicate_identifier_reason(id, first->second));
      }
      return std::make_pair(id, outcome(c, reasons));
    };
    const auto [id, sa] = classify(a, seen_a);
    const auto sb = classify(b, seen_b).second;
    ++diff.matrix[{sa.category, sb.category}];

    DossierChange change;
    change.id = id;
    change.line = row.line;
    change.category_before = sa.category;
    change.category_after = sb.category;
    change.rule_before = sa.rule;
    change.rule_after = sb.rule;
    change.rejected_before = sa.reasons;
    change.rejected_after = sb.reasons;
    if (!sa.rejected && !sb.rejected) {
      const std::vector<std::string> cells_a = a.outputs();
      const std::vector<std::string> cells_b = b.outputs();
      for (const auto& [i, j] : outputs) {
        const std::string& x = cells_a[i];
        const std::string& y = cells_b[j];
        if (x != y) change.outputs.push_back({before.outputs[i].name, {}, x, y});
      }
    }
    const bool changed = sa.category != sb.category || sa.rule != sb.rule ||
                         sa.rejected != sb.rejected || !change.outputs.empty();
    if (!changed) continue;
    if (!sa.rejected && !sb.rejected && !before.decisions.empty() && !after.decisions.empty())
      change.reasons = rule_reasons(a, b, sa, sb);
    if (!sa.rejected && !sb.rejected) {
      for (const auto& [i, j] : lets) {
        const auto& la = before.lets[i];
        const auto& lb = after.lets[j];
        const std::string x = format_value(before, la.type, a.interpreter().evaluate(la.root));
        const std::string y = format_value(after, lb.type, b.interpreter().evaluate(lb.root));
        if (x != y)
          change.definitions.push_back({la.name, lb.label.empty() ? la.label : lb.label, x, y});
      }
    }
    ++diff.rows_changed;
    diff.changes.push_back(std::move(change));
  }
  if (diff.rows_read == 0) diff.fatal_errors.push_back(no_data_row_message());
  return diff;
}

namespace {

// A node's source on one line ("" for no node).
std::string node_text(const graph::RuleGraph& g, graph::NodeId n) {
  return n < g.nodes.size() ? source_of(g, g.nodes[n].range) : std::string();
}

// Named things of one kind on both sides, in the order of `before` then new ones.
template <class Xs, class Ys, class Key>
auto pairs(const Xs& xs, const Ys& ys, Key key) {
  using X = typename Xs::value_type;
  using Y = typename Ys::value_type;
  std::vector<std::pair<const X*, const Y*>> matched;
  for (const auto& x : xs) {
    auto it = std::find_if(ys.begin(), ys.end(), [&](const auto& y) { return key(y) == key(x); });
    matched.push_back({&x, it == ys.end() ? nullptr : &*it});
  }
  for (const auto& y : ys) {
    if (std::none_of(xs.begin(), xs.end(), [&](const auto& x) { return key(x) == key(y); }))
      matched.push_back({nullptr, &y});
  }
  return matched;
}

// The names of `names` that `others` has too, in the order of `names`.
std::vector<std::string> shared(const std::vector<std::string>& names,
                                const std::vector<std::string>& others) {
  std::vector<std::string> out;
  for (const auto& n : names) {
    if (std::find(others.begin(), others.end(), n) != others.end()) out.push_back(n);
  }
  return out;
}

// How an order reads: the whole sequence when it is short, otherwise each item that moved
// (not in a longest sequence of items kept in order) with the item it follows. `a` and `b`
// hold the same names (shared()); names given twice are shown whole.
std::pair<std::string, std::string> orders(const std::vector<std::string>& a,
                                           const std::vector<std::string>& b) {
  constexpr std::size_t kShort = 12;
  std::unordered_map<std::string, std::size_t> position;  // in b
  for (std::size_t j = 0; j < b.size(); ++j) position.emplace(b[j], j);
  if (a.size() <= kShort || a.size() != b.size() || position.size() != b.size())
    return {fmt::format("{}", fmt::join(a, " › ")), fmt::format("{}", fmt::join(b, " › "))};
  // The longest increasing run of b-positions taken in a's order (patience sorting).
  std::vector<std::size_t> at(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) at[i] = position.at(a[i]);
  std::vector<std::size_t> tails;  // index in `a` of the last item of the best run of each length
  std::vector<std::size_t> previous(a.size(), SIZE_MAX);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto it = std::lower_bound(tails.begin(), tails.end(), at[i],
                                     [&](std::size_t t, std::size_t v) { return at[t] < v; });
    if (it != tails.begin()) previous[i] = *(it - 1);
    if (it == tails.end()) {
      tails.push_back(i);
    } else {
      *it = i;
    }
  }
  std::unordered_set<std::string> kept;
  for (std::size_t i = tails.empty() ? SIZE_MAX : tails.back(); i != SIZE_MAX; i = previous[i])
    kept.insert(a[i]);
  auto moved = [&](const std::vector<std::string>& xs) {
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (kept.count(xs[i]) != 0) continue;
      parts.push_back(i == 0 ? fmt::format("« {} » en premier", xs[i])
                             : fmt::format("« {} » après « {} »", xs[i], xs[i - 1]));
    }
    return fmt::format("{}", fmt::join(parts, " ; "));
  };
  return {moved(a), moved(b)};
}

}  // namespace

std::vector<RuleChange> diff_rules(const graph::RuleGraph& before, const graph::RuleGraph& after) {
  std::vector<RuleChange> out;
  auto compare = [&](const std::string& kind, const std::string& owner, const std::string& name,
                     const std::string* x, const std::string* y, const SourceRange* rx,
                     const SourceRange* ry) {
    if (x == nullptr && y == nullptr) return;
    RuleChange c{kind,
                 owner,
                 name,
                 "",
                 x ? *x : "",
                 y ? *y : "",
                 rx ? where(before, *rx) : "",
                 ry ? where(after, *ry) : ""};
    if (x == nullptr) {
      c.change = "ajoutée";
    } else if (y == nullptr) {
      c.change = "retirée";
    } else if (*x != *y) {
      c.change = "modifiée";
    } else {
      return;
    }
    out.push_back(std::move(c));
  };
  // Each of `pairs`, compared on `text` (a string for one side's item).
  auto compare_all = [&](const std::string& kind, const std::string& owner, const auto& matched,
                         auto name, auto text_a, auto text_b, auto range) {
    for (const auto& [x, y] : matched) {
      const std::string sx = x ? text_a(*x) : "";
      const std::string sy = y ? text_b(*y) : "";
      compare(kind, owner, x ? name(*x) : name(*y), x ? &sx : nullptr, y ? &sy : nullptr,
              x ? &range(*x) : nullptr, y ? &range(*y) : nullptr);
    }
  };
  // The order of the items both sides have: one change when it differs.
  auto compare_order = [&](const std::string& what, const std::string& owner, const auto& xs,
                           const auto& ys, auto name, const SourceRange* rx,
                           const SourceRange* ry) {
    std::vector<std::string> na, nb;
    for (const auto& x : xs) na.push_back(name(x));
    for (const auto& y : ys) nb.push_back(name(y));
    const auto a = shared(na, nb);
    const auto b = shared(nb, na);
    if (a == b) return;
    const auto [sa, sb] = orders(a, b);
    out.push_back({"ordre", owner, what, "modifiée", sa, sb, rx ? where(before, *rx) : "",
                   ry ? where(after, *ry) : ""});
  };
  const auto by_name = [](const auto& x) { return x.name; };
  const auto range_of = [](const auto& x) -> const SourceRange& { return x.range; };

  // Decisions: their hit policy and type, their rules by name on their source text, and
  // for a `première` decision the order of the rules.
  for (const auto& [da, db] : pairs(before.decisions, after.decisions, by_name)) {
    const std::string owner = da ? da->name : db->name;
    auto header = [](const graph::RuleGraph& g, const graph::Decision& d) {
      const char* policy = d.policy == graph::HitPolicy::First    ? "première"
                           : d.policy == graph::HitPolicy::Unique ? "unique"
                                                                  : "toutes";
      return fmt::format("{} : {} {}", d.name, graph::type_name(g, d.type), policy);
    };
    const std::string ha = da ? header(before, *da) : "";
    const std::string hb = db ? header(after, *db) : "";
    compare("décision", "", owner, da ? &ha : nullptr, db ? &hb : nullptr,
            da ? &da->range : nullptr, db ? &db->range : nullptr);
    static const std::vector<graph::Rule> kNone;
    auto rules_of = [](const graph::Decision* d) {
      std::vector<graph::Rule> rules = d ? d->rules : kNone;
      if (d && d->fallback) rules.push_back(*d->fallback);
      return rules;
    };
    const auto ra = rules_of(da);
    const auto rb = rules_of(db);
    compare_all(
        "règle", owner, pairs(ra, rb, by_name), by_name,
        [&](const graph::Rule& r) { return source_of(before, r.range); },
        [&](const graph::Rule& r) { return source_of(after, r.range); }, range_of);
    if (da && db &&
        (da->policy == graph::HitPolicy::First || db->policy == graph::HitPolicy::First)) {
      compare_order("règles", owner, ra, rb, by_name, &da->range, &db->range);
    }
  }
  // Definitions: compared on their label, type and body, shown as written. Not on their
  // whole text: the same definition in another file (a parent's, or `remplace soit …`
  // restating it) is no change.
  auto definition = [](const graph::RuleGraph& g, const graph::Let& l) {
    std::string s = "soit " + l.name;
    if (!l.label.empty()) s += " \"" + l.label + "\"";
    return s + " : " + graph::type_name(g, l.type) + " = " + node_text(g, l.root);
  };
  for (const auto& [x, y] : pairs(before.lets, after.lets, by_name)) {
    std::string sx = x ? source_of(before, x->range) : "";
    std::string sy = y ? source_of(after, y->range) : "";
    if (x && y) {
      const std::string kx = definition(before, *x), ky = definition(after, *y);
      if (kx == ky) continue;
      if (sx == sy) {  // the same words, another type (that of what it refers to)
        sx = kx;
        sy = ky;
      }
    }
    compare("définition", "", x ? x->name : y->name, x ? &sx : nullptr, y ? &sy : nullptr,
            x ? &x->range : nullptr, y ? &y->range : nullptr);
  }
  // The schema: each field's type and column label, and their order (the first is the
  // identifier).
  {
    const std::string owner = after.schema.name.empty() ? before.schema.name : after.schema.name;
    auto field = [](const graph::RuleGraph& g, const graph::Field& f) {
      return fmt::format("{} : {} colonne \"{}\"", f.name, graph::type_name(g, f.type), f.column);
    };
    compare_all(
        "champ", owner, pairs(before.schema.fields, after.schema.fields, by_name), by_name,
        [&](const graph::Field& f) { return field(before, f); },
        [&](const graph::Field& f) { return field(after, f); }, range_of);
    compare_order("champs", owner, before.schema.fields, after.schema.fields, by_name,
                  &before.schema.range, &after.schema.range);
  }
  // Output columns: their expression, and their order (the columns of the results file).
  {
    auto column = [](const graph::RuleGraph& g, const graph::OutputColumn& c) {
      return fmt::format("\"{}\" = {}", c.name, node_text(g, c.node));
    };
    auto range = [](const graph::RuleGraph& g) {
      return [&g](const graph::OutputColumn& c) -> const SourceRange& {
        static const SourceRange kNoRange{};
        return c.node < g.nodes.size() ? g.nodes[c.node].range : kNoRange;
      };
    };
    // Positions are those of the expressions: an output column keeps no range of its own.
    const auto matched = pairs(before.outputs, after.outputs, by_name);
    for (const auto& [x, y] : matched) {
      const std::string sx = x ? column(before, *x) : "";
      const std::string sy = y ? column(after, *y) : "";
      compare("sortie", "", x ? x->name : y->name, x ? &sx : nullptr, y ? &sy : nullptr,
              x ? &range(before)(*x) : nullptr, y ? &range(after)(*y) : nullptr);
    }
    compare_order("colonnes de sortie", "", before.outputs, after.outputs, by_name, nullptr,
                  nullptr);
  }
  // Summaries, by title: what they count, and their order (`tamis run` prints the first).
  {
    auto summary = [](const graph::RuleGraph& g, const graph::Summary& s) {
      std::string text = "lignes " + node_text(g, s.rows);
      if (s.columns != graph::kNoNode) text += " colonnes " + node_text(g, s.columns);
      if (s.condition != graph::kNoNode) text += " si " + node_text(g, s.condition);
      return text;
    };
    const auto by_title = [](const graph::Summary& s) { return s.title; };
    compare_all(
        "synthèse", "", pairs(before.summaries, after.summaries, by_title), by_title,
        [&](const graph::Summary& s) { return summary(before, s); },
        [&](const graph::Summary& s) { return summary(after, s); }, range_of);
    compare_order("synthèses", "", before.summaries, after.summaries, by_title, nullptr, nullptr);
  }
  // Tables: their columns by name on their type, their rows by key on their cells and
  // aliases, and the order of the rows (the order of the members of a set in the results).
  for (const auto& [ta, tb] : pairs(before.tables, after.tables, by_name)) {
    const std::string owner = ta ? ta->name : tb->name;
    static const std::vector<graph::Column> kNoColumns;
    auto column = [](const graph::RuleGraph& g, const graph::Column& c) {
      return c.name + " : " + graph::type_name(g, c.type);
    };
    const SourceRange* rx = ta ? &ta->range : nullptr;
    const SourceRange* ry = tb ? &tb->range : nullptr;
    for (const auto& [x, y] :
         pairs(ta ? ta->columns : kNoColumns, tb ? tb->columns : kNoColumns, by_name)) {
      const std::string sx = x ? column(before, *x) : "";
      const std::string sy = y ? column(after, *y) : "";
      compare("colonne", owner, x ? x->name : y->name, x ? &sx : nullptr, y ? &sy : nullptr,
              x ? rx : nullptr, y ? ry : nullptr);
    }
    static const std::vector<graph::Row> kNoRows;
    const auto& ra = ta ? ta->rows : kNoRows;
    const auto& rb = tb ? tb->rows : kNoRows;
    auto cells = [](const graph::RuleGraph& g, const graph::Table& t, const graph::Row& r) {
      std::vector<std::string> parts;
      for (std::size_t c = 0; c < t.columns.size(); ++c)
        parts.push_back(format_value(g, t.columns[c].type, r.cells[c]));
      std::string aliases = fmt::format("{}", fmt::join(r.aliases, ", "));
      return fmt::format("{} | {}{}", r.key, fmt::join(parts, " | "),
                         aliases.empty() ? "" : " (alias " + aliases + ")");
    };
    const auto by_key = [](const graph::Row& r) { return text::normalize_label(r.key); };
    compare_all(
        "ligne", owner, pairs(ra, rb, by_key), [](const graph::Row& r) { return r.key; },
        [&, table_a = ta](const graph::Row& r) { return cells(before, *table_a, r); },
        [&, table_b = tb](const graph::Row& r) { return cells(after, *table_b, r); }, range_of);
    if (ta && tb)
      compare_order(
          "lignes", owner, ra, rb, [](const graph::Row& r) { return r.key; }, rx, ry);
  }
  // Enumerations: each value by name on its code, label and aliases, and their order
  // (that of the matrix, of the summaries and of the members of a set).
  for (const auto& [ea, eb] : pairs(before.enums, after.enums, by_name)) {
    const std::string owner = ea ? ea->name : eb->name;
    static const std::vector<graph::EnumValue> kNoValues;
    const auto& va = ea ? ea->values : kNoValues;
    const auto& vb = eb ? eb->values : kNoValues;
    auto value = [](const graph::EnumValue& v) {
      std::string s = fmt::format("{} « {} »", v.code, v.label);
      if (!v.aliases.empty()) s += fmt::format(" (alias {})", fmt::join(v.aliases, ", "));
      return s;
    };
    compare_all("valeur", owner, pairs(va, vb, by_name), by_name, value, value, range_of);
    if (ea && eb) compare_order("valeurs", owner, va, vb, by_name, &ea->range, &eb->range);
  }
  return out;
}

}  // namespace tamis::runtime
