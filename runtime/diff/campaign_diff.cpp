#include "runtime/diff/campaign_diff.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <unordered_map>

#include "runtime/classifier.hpp"
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

}  // namespace

CampaignDiff diff_campaign(const graph::RuleGraph& before, const graph::RuleGraph& after,
                           std::istream& input, const CampaignOptions& options) {
  CampaignDiff diff;
  diff.before_name = set_name(before);
  diff.after_name = set_name(after);
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
    diff.fatal_errors.push_back("fichier vide : aucune ligne d'en-tête");
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
  std::vector<std::pair<std::size_t, std::size_t>> lets;
  for (std::size_t i = 0; i < before.lets.size(); ++i) {
    for (std::size_t j = 0; j < after.lets.size(); ++j) {
      if (before.lets[i].name == after.lets[j].name) lets.emplace_back(i, j);
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
  if (diff.rows_read == 0) diff.fatal_errors.push_back("aucune ligne de données après l'en-tête");
  return diff;
}

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
  // Named things of one kind on both sides, in the order of `before` then new ones.
  auto pairs = [](const auto& xs, const auto& ys, auto key) {
    using X = std::remove_reference_t<decltype(xs[0])>;
    using Y = std::remove_reference_t<decltype(ys[0])>;
    std::vector<std::pair<const X*, const Y*>> matched;
    for (const auto& x : xs) {
      auto it = std::find_if(ys.begin(), ys.end(), [&](const auto& y) { return key(y) == key(x); });
      matched.push_back({&x, it == ys.end() ? nullptr : &*it});
    }
    for (const auto& y : ys) {
      if (std::none_of(xs.begin(), xs.end(), [&](const auto& x) { return key(x) == key(y); })) {
        matched.push_back({nullptr, &y});
      }
    }
    return matched;
  };

  // Decisions' rules: compared by name, on their source text.
  for (const auto& [da, db] :
       pairs(before.decisions, after.decisions, [](const auto& d) { return d.name; })) {
    const std::string owner = da ? da->name : db->name;
    static const std::vector<graph::Rule> kNone;
    auto rules_of = [](const graph::Decision* d) {
      std::vector<graph::Rule> rules = d ? d->rules : kNone;
      if (d && d->fallback) rules.push_back(*d->fallback);
      return rules;
    };
    const auto ra = rules_of(da);
    const auto rb = rules_of(db);
    for (const auto& [x, y] : pairs(ra, rb, [](const auto& r) { return r.name; })) {
      const std::string sx = x ? source_of(before, x->range) : "";
      const std::string sy = y ? source_of(after, y->range) : "";
      compare("règle", owner, x ? x->name : y->name, x ? &sx : nullptr, y ? &sy : nullptr,
              x ? &x->range : nullptr, y ? &y->range : nullptr);
    }
  }
  // Definitions: compared on their source text.
  for (const auto& [x, y] : pairs(before.lets, after.lets, [](const auto& l) { return l.name; })) {
    const std::string sx = x ? source_of(before, x->range) : "";
    const std::string sy = y ? source_of(after, y->range) : "";
    // The same text in another file (a parent's definition) is no change.
    auto body = [](const std::string& s) {
      return s.substr(s.find('=') == std::string::npos ? 0 : s.find('='));
    };
    if (x && y && body(sx) == body(sy)) continue;
    compare("définition", "", x ? x->name : y->name, x ? &sx : nullptr, y ? &sy : nullptr,
            x ? &x->range : nullptr, y ? &y->range : nullptr);
  }
  // Table rows: compared by key, on their cells.
  for (const auto& [ta, tb] :
       pairs(before.tables, after.tables, [](const auto& t) { return t.name; })) {
    const std::string owner = ta ? ta->name : tb->name;
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
    for (const auto& [x, y] :
         pairs(ra, rb, [](const auto& r) { return text::normalize_label(r.key); })) {
      const std::string sx = x ? cells(before, *ta, *x) : "";
      const std::string sy = y ? cells(after, *tb, *y) : "";
      compare("ligne", owner, x ? x->key : y->key, x ? &sx : nullptr, y ? &sy : nullptr,
              x ? &x->range : nullptr, y ? &y->range : nullptr);
    }
  }
  // Enumeration values: compared by name, on their label and code.
  for (const auto& [ea, eb] :
       pairs(before.enums, after.enums, [](const auto& e) { return e.name; })) {
    const std::string owner = ea ? ea->name : eb->name;
    static const std::vector<graph::EnumValue> kNoValues;
    const auto& va = ea ? ea->values : kNoValues;
    const auto& vb = eb ? eb->values : kNoValues;
    for (const auto& [x, y] : pairs(va, vb, [](const auto& v) { return v.name; })) {
      const std::string sx = x ? fmt::format("{} « {} »", x->code, x->label) : "";
      const std::string sy = y ? fmt::format("{} « {} »", y->code, y->label) : "";
      compare("valeur", owner, x ? x->name : y->name, x ? &sx : nullptr, y ? &sy : nullptr,
              x ? &x->range : nullptr, y ? &y->range : nullptr);
    }
  }
  return out;
}

}  // namespace tamis::runtime
