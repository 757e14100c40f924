#include "runtime/explain/explain.hpp"

#include <fmt/format.h>
#include <algorithm>

#include "runtime/io/label_matcher.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

using graph::Base;
using graph::NodeId;
using graph::Op;
using graph::Value;
using nlohmann::json;

namespace {

// Source text on one line, whitespace runs collapsed (conditions may span lines).
std::string one_line(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

class Explainer {
 public:
  Explainer(const graph::RuleGraph& g, Interpreter& in, const Record& record)
      : g_(g), in_(in), record_(record) {}

  json document(const ExplainContext& context) {
    json doc;
    doc["schema"] = kExplanationSchema;
    doc["regles"] = {{"nom", g_.name}, {"version", g_.version}, {"empreinte", g_.fingerprint}};
    json dossier = {{"ligne", context.line}, {"fichier", context.campaign}};
    if (!g_.schema.fields.empty()) {
      dossier["id"] = std::string(text::trim(record_.raw[0]));
      dossier["champ_id"] = g_.schema.fields[0].name;
    }
    doc["dossier"] = dossier;
    doc["decisions"] = json::array();
    for (std::uint32_t d = 0; d < g_.decisions.size(); ++d) doc["decisions"].push_back(decision(d));
    doc["tables"] = json::array();
    for (std::uint32_t f = 0; f < g_.schema.fields.size(); ++f) {
      const auto& t = g_.schema.fields[f].type;
      if (t.set && t.base == Base::Row) doc["tables"].push_back(labels(f));
    }
    return doc;
  }

  json decision(std::uint32_t index) {
    const graph::Decision& d = g_.decisions[index];
    const DecisionOutcome& out = in_.decide(index);
    json j;
    j["decision"] = d.name;
    j["politique"] = d.policy == graph::HitPolicy::First    ? "première"
                     : d.policy == graph::HitPolicy::Unique ? "unique"
                                                            : "toutes";
    j["valeur"] = value_code(d.type, out.value);
    j["libelle"] = value_label(d.type, out.value);
    const graph::Rule* fired = nullptr;
    if (out.rule >= 0) fired = &d.rules[static_cast<std::size_t>(out.rule)];
    if (out.rule == kFallbackRule && d.fallback) fired = &*d.fallback;
    j["regle"] = fired != nullptr ? rule(d, *fired, out.rule) : json();
    j["conditions"] = fired != nullptr && fired->condition != graph::kNoNode
                          ? condition(fired->condition, Mode::Full)
                          : json();

    // Rules that did not apply: for a first-hit decision, those before the deciding one.
    const std::size_t until = out.rule >= 0 && d.policy == graph::HitPolicy::First
                                  ? static_cast<std::size_t>(out.rule)
                                  : d.rules.size();
    j["regles_non_appliquees"] = json::array();
    for (std::size_t i = 0; i < until; ++i) {
      if (static_cast<std::int32_t>(i) == out.rule) continue;
      if (in_.evaluate(d.rules[i].condition).boolean) continue;  // applied (collect / unique)
      j["regles_non_appliquees"].push_back(
          {{"regle", rule(d, d.rules[i], static_cast<std::int32_t>(i))},
           {"condition_en_echec", condition(d.rules[i].condition, Mode::Failure)}});
    }
    j["pour_atteindre"] = json::array();
    if (d.policy == graph::HitPolicy::First && out.rule > 0) {
      const auto& decided = d.rules[static_cast<std::size_t>(out.rule)];
      for (std::int32_t i = 0; i < out.rule; ++i) {
        const auto& earlier = d.rules[static_cast<std::size_t>(i)];
        if (!refines(earlier.condition, decided.condition)) continue;
        json missing = json::array();
        collect_missing(earlier.condition, conjuncts(decided.condition), missing);
        j["pour_atteindre"].push_back(
            {{"regle", rule(d, earlier, i)},
             {"valeur", value_code(d.type.element(), in_.evaluate(earlier.result))},
             {"libelle", value_label(d.type.element(), in_.evaluate(earlier.result))},
             {"conditions_manquantes", missing}});
      }
    }
    return j;
  }

 private:
  enum class Mode { Full, Failure };

  json position(const SourceRange& r) const {
    if (!r.valid() || !g_.sources || r.file >= g_.sources->size()) return json();
    return {{"fichier", g_.sources->file(r.file).path},
            {"ligne", r.line},
            {"colonne", r.column},
            {"fin_ligne", r.end_line},
            {"fin_colonne", r.end_column}};
  }

  std::string source(const SourceRange& r) const {
    if (!r.valid() || !g_.sources || r.file >= g_.sources->size()) return {};
    return std::string(g_.sources->file(r.file).slice(r));
  }

  json rule(const graph::Decision& d, const graph::Rule& r, std::int32_t index) const {
    const bool fallback = index == kFallbackRule || r.condition == graph::kNoNode;
    return {{"id", fmt::format("{}/{}", d.name, r.name)},
            {"nom", r.name},
            {"rang", fallback ? json("sinon") : json(index)},
            {"motif", r.reason},
            {"position", position(r.range)},
            {"texte", source(r.range)}};
  }

  // ---- values, as people read them

  std::string value_code(const graph::Type& type, const Value& v) const {
    return format_value(g_, type, v);
  }

  std::string value_label(const graph::Type& type, const Value& v) const {
    if (!v.present) return "(non renseigné)";
    if (type.base == Base::Enum && !type.set) return g_.enums[type.ref].values[v.id].label;
    return format_value(g_, type, v);
  }

  // "Étude / faisabilité" quoted, {A, B} for sets, dates and numbers as they are.
  std::string display(const graph::Type& type, const Value& v) const {
    if (!v.present) return "(non renseigné)";
    if (type.set) {
      std::vector<std::string> items;
      if (type.base == Base::Text) {
        for (std::uint32_t i = 0; i < v.size; ++i) items.emplace_back(v.texts[i]);
      } else {
        const std::size_t universe = type.base == Base::Enum ? g_.enums[type.ref].values.size()
                                                             : g_.tables[type.ref].rows.size();
        for (std::uint32_t i = 0; i < universe; ++i) {
          if (!v.has_bit(i)) continue;
          items.push_back(type.base == Base::Enum ? g_.enums[type.ref].values[i].label
                                                  : g_.tables[type.ref].rows[i].key);
        }
      }
      return fmt::format("{{{}}}", fmt::join(items, ", "));
    }
    switch (type.base) {
      case Base::Text:
        return quoted_text(v.as_text());
      case Base::Enum:
        return fmt::format("\"{}\"", g_.enums[type.ref].values[v.id].label);
      case Base::Row:
        return fmt::format("\"{}\"", g_.tables[type.ref].rows[v.id].key);
      case Base::Boolean:
        return v.boolean ? "oui" : "non";
      default:
        return format_value(g_, type, v);
    }
  }

  // Text on one line for explanations: line breaks shown as ⏎, quotes escaped,
  // long texts cut (the export holds the full value).
  static std::string quoted_text(std::string_view s) {
    constexpr std::size_t kMaxCodePoints = 80;
    std::string out = "\"";
    std::size_t shown = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U && ++shown > kMaxCodePoints) {
        out += "…";
        break;
      }
      if (c == '\r' || c == '\n') {
        if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
        out += " ⏎ ";
      } else if (c == '"') {
        out += "\\\"";
      } else if (c == '\t') {
        out += ' ';
      } else {
        out += c;
      }
    }
    return out + "\"";
  }

  // An operand as written, with its value unless it is a constant.
  std::string operand(NodeId id) {
    const graph::Node& n = g_.nodes[id];
    const std::string shown = display(n.type, in_.evaluate(id));
    if (n.op == Op::Const) return shown;
    return fmt::format("{} = {}", one_line(source(n.range)), shown);
  }

  // The right-hand side: its value, then its name if it is not a constant.
  std::string reference(NodeId id) {
    const graph::Node& n = g_.nodes[id];
    const std::string shown = display(n.type, in_.evaluate(id));
    if (n.op == Op::Const) return shown;
    return fmt::format("{} ({})", shown, one_line(source(n.range)));
  }

  // The operator as it held, or its negation when it did not: `≤` / `>`.
  static const char* relation(Op op, bool held) {
    switch (op) {
      case Op::Eq:
        return held ? "=" : "≠";
      case Op::Ne:
        return held ? "≠" : "=";
      case Op::Lt:
        return held ? "<" : "≥";
      case Op::Le:
        return held ? "≤" : ">";
      case Op::Gt:
        return held ? ">" : "≤";
      default:
        return held ? "≥" : "<";
    }
  }

  std::string detail(NodeId id, bool value) {
    const graph::Node& n = g_.nodes[id];
    const std::string src = one_line(source(n.range));
    switch (n.op) {
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge: {
        const Value lhs = in_.evaluate(n.a);
        if (!lhs.present)
          return fmt::format("{} n'est pas renseigné", one_line(source(g_.nodes[n.a].range)));
        const Value rhs = in_.evaluate(n.b);
        if (!rhs.present)
          return fmt::format("{} n'est pas renseigné", one_line(source(g_.nodes[n.b].range)));
        const bool constant = g_.nodes[n.b].op == Op::Const;
        // An equality reads best as the value, and what was expected when it fails.
        if (n.op == Op::Eq && constant) {
          return value ? operand(n.a)
                       : fmt::format("{} (attendu : {})", operand(n.a), reference(n.b));
        }
        return fmt::format("{} {} {}", operand(n.a), relation(n.op, value), reference(n.b));
      }
      case Op::In:
      case Op::NotIn: {
        const Value item = in_.evaluate(n.a);
        if (!item.present)
          return fmt::format("{} n'est pas renseigné", one_line(source(g_.nodes[n.a].range)));
        const bool in = in_.evaluate(n.b).has_bit(item.id);
        return fmt::format("{} {} {}", operand(n.a), in ? "∈" : "∉", reference(n.b));
      }
      case Op::Contains: {
        const bool in = value;
        return fmt::format("{} {} {}", operand(n.a), in ? "contient" : "ne contient pas",
                           reference(n.b));
      }
      case Op::IsSet:
      case Op::IsNotSet: {
        const Value v = in_.evaluate(n.a);
        const std::string name = one_line(source(g_.nodes[n.a].range));
        if (!v.present) return fmt::format("{} n'est pas renseigné", name);
        return fmt::format("{} est renseigné", operand(n.a));
      }
      case Op::IsEmpty:
      case Op::IsNotEmpty: {
        const bool empty = n.op == Op::IsEmpty ? value : !value;
        return fmt::format("{} {}", operand(n.a), empty ? "est vide" : "n'est pas vide");
      }
      case Op::Field:
        return operand(id);
      default:
        return fmt::format("{} : {}", src, value ? "vrai" : "faux");
    }
  }

  // ---- condition trees

  json condition(NodeId id, Mode mode) {
    const graph::Node& n = g_.nodes[id];
    const bool value = in_.evaluate(id).boolean;
    json j;
    j["noeud"] = id;
    j["texte"] = one_line(source(n.range));
    j["position"] = position(n.range);
    j["valeur"] = value;
    NodeId body = id;
    if (n.op == Op::Let) {
      const graph::Let& let = g_.lets[n.a];
      j["definition"] = let.name;
      if (!let.label.empty()) j["libelle"] = let.label;
      body = let.root;
      j["definition_position"] = position(let.range);
    }
    const graph::Node& b = g_.nodes[body];
    if (b.op == Op::And || b.op == Op::Or) {
      j["connecteur"] = b.op == Op::And ? "et" : "ou";
      json children = json::array();
      for (std::uint32_t i = 0; i < b.arg_count; ++i) {
        const NodeId child = g_.args[b.first_arg + i];
        const bool child_value = in_.evaluate(child).boolean;
        if (mode == Mode::Failure && b.op == Op::And && child_value) continue;  // held: not why
        children.push_back(condition(child, mode));
        if (mode == Mode::Failure && b.op == Op::And) break;  // the first failing conjunct
      }
      j["enfants"] = children;
    } else if (b.op == Op::Not) {
      j["connecteur"] = "non";
      j["enfants"] = json::array({condition(b.a, Mode::Full)});
    } else if (b.op == Op::Let) {
      j["enfants"] = json::array({condition(body, mode)});
    } else {
      j["detail"] = detail(body, value);
    }
    return j;
  }

  // Top-level conjuncts of a condition, looking through definitions:
  // `contribue et mature` → {contribue, mature}. Identified by what they refer to.
  std::vector<std::pair<Op, std::uint32_t>> conjuncts(NodeId id) const {
    std::vector<std::pair<Op, std::uint32_t>> out;
    std::vector<NodeId> stack = {id};
    while (!stack.empty()) {
      const NodeId cur = stack.back();
      stack.pop_back();
      const graph::Node& n = g_.nodes[cur];
      if (n.op == Op::And) {
        for (std::uint32_t i = n.arg_count; i > 0; --i)
          stack.push_back(g_.args[n.first_arg + i - 1]);
        continue;
      }
      if (n.op == Op::Let || n.op == Op::Field) {
        out.push_back({n.op, n.a});
      } else {
        out.push_back({n.op, cur});
      }
    }
    return out;
  }

  // True when `candidate` asks for everything `decided` asks for, and more: the
  // decided rule is a weaker form of it, so its missing conditions say what it would take.
  bool refines(NodeId candidate, NodeId decided) const {
    const auto want = conjuncts(decided);
    const auto have = conjuncts(candidate);
    if (have.size() <= want.size()) return false;
    return std::all_of(want.begin(), want.end(), [&](const auto& c) {
      return std::find(have.begin(), have.end(), c) != have.end();
    });
  }

  // The failing conditions of `id`, descending through `et` and definitions,
  // skipping those the decided rule already satisfies.
  void collect_missing(NodeId id, const std::vector<std::pair<Op, std::uint32_t>>& satisfied,
                       json& out) {
    const graph::Node& n = g_.nodes[id];
    if (in_.evaluate(id).boolean) return;
    const std::pair<Op, std::uint32_t> key = (n.op == Op::Let || n.op == Op::Field)
                                                 ? std::make_pair(n.op, n.a)
                                                 : std::make_pair(n.op, id);
    if (std::find(satisfied.begin(), satisfied.end(), key) != satisfied.end()) return;
    if (n.op == Op::And || (n.op == Op::Let && groups_definitions(g_.lets[n.a].root))) {
      const graph::Node& b = n.op == Op::And ? n : g_.nodes[g_.lets[n.a].root];
      for (std::uint32_t i = 0; i < b.arg_count; ++i)
        collect_missing(g_.args[b.first_arg + i], satisfied, out);
      return;
    }
    out.push_back(condition(id, Mode::Failure));
  }

  // `mature = a et b et c` where a, b, c are definitions: a grouping whose parts are
  // what an author would act on. A definition over raw comparisons is one condition.
  bool groups_definitions(NodeId body) const {
    const graph::Node& b = g_.nodes[body];
    if (b.op != Op::And) return false;
    for (std::uint32_t i = 0; i < b.arg_count; ++i) {
      const Op op = g_.nodes[g_.args[b.first_arg + i]].op;
      if (op != Op::Let && op != Op::Field) return false;
    }
    return true;
  }

  // ---- table labels (levers): how each label of the export resolved

  json labels(std::uint32_t field) {
    const graph::Field& f = g_.schema.fields[field];
    const graph::Table& t = g_.tables[f.type.ref];
    json j = {{"champ", f.name},
              {"colonne", f.column},
              {"table", t.name},
              {"brut", std::string(record_.raw[field])}};
    json items = json::array();
    for (const auto& m : io::match_labels(t, text::trim(record_.raw[field]))) {
      json item = {{"brut", m.raw}};
      if (m.rows.empty()) {
        item["statut"] = "inconnu";
      } else {
        item["statut"] = m.by_alias ? "alias" : "nom";
        item["exact"] = m.exact;
        if (m.by_alias) item["alias"] = m.spelling;
        json rows = json::array();
        for (auto r : m.rows) {
          json cols = json::array();  // in declaration order
          for (std::size_t c = 0; c < t.columns.size(); ++c) {
            const Value& cell = t.rows[r].cells[c];
            if (!cell.present) continue;
            const graph::Type& type = t.columns[c].type;
            cols.push_back(
                {{"nom", t.columns[c].name},
                 {"valeur", type.base == Base::Text && !type.set ? std::string(cell.as_text())
                                                                 : display(type, cell)}});
          }
          rows.push_back({{"cle", t.rows[r].key},
                          {"position", position(t.rows[r].range)},
                          {"colonnes", cols}});
        }
        item["lignes"] = rows;
      }
      items.push_back(item);
    }
    j["libelles"] = items;
    return j;
  }

  const graph::RuleGraph& g_;
  Interpreter& in_;
  const Record& record_;
};

}  // namespace

json explain(const graph::RuleGraph& graph, Interpreter& interpreter, const Record& record,
             const ExplainContext& context) {
  return Explainer(graph, interpreter, record).document(context);
}

json outcome(const graph::RuleGraph& graph, Interpreter& interpreter) {
  json out = json::array();
  for (std::uint32_t d = 0; d < graph.decisions.size(); ++d) {
    const auto& dec = graph.decisions[d];
    const auto& o = interpreter.decide(d);
    std::string rule;
    if (o.rule >= 0) rule = dec.rules[static_cast<std::size_t>(o.rule)].name;
    if (o.rule == kFallbackRule && dec.fallback) rule = dec.fallback->name;
    out.push_back({{"decision", dec.name},
                   {"valeur", format_value(graph, dec.type, o.value)},
                   {"regle", rule}});
  }
  return out;
}

}  // namespace tamis::runtime
