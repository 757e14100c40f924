#include "runtime/explain/explain.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <unordered_map>

#include "runtime/explain/json_writer.hpp"
#include "runtime/io/label_matcher.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

using graph::Base;
using graph::NodeId;
using graph::Op;
using graph::Value;
using json_out::append_bool;
using json_out::append_string;
using json_out::append_uint;
using nlohmann::json;
using namespace std::string_view_literals;

// The document is written key by key in the order nlohmann's objects (std::map) keep
// them, i.e. sorted: that is what makes these bytes equal to explain(…).dump().

namespace {

// Text on one line for explanations: line breaks shown as ⏎, quotes escaped,
// long texts cut (the export holds the full value).
void append_quoted_text(std::string& out, std::string_view s) {
  constexpr std::size_t kMaxCodePoints = 80;
  out += '"';
  std::size_t shown = 0;
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U && ++shown > kMaxCodePoints) {
      out.append(s.data() + run, i - run);
      out += "…"sv;
      out += '"';
      return;
    }
    if (c != '\r' && c != '\n' && c != '"' && c != '\t') continue;
    out.append(s.data() + run, i - run);
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
      out += " ⏎ "sv;
    } else if (c == '"') {
      out += "\\\""sv;
    } else {
      out += ' ';
    }
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// The operator as it held, or its negation when it did not: `≤` / `>`.
std::string_view relation(Op op, bool held) {
  switch (op) {
    case Op::Eq:
      return held ? "="sv : "≠"sv;
    case Op::Ne:
      return held ? "≠"sv : "="sv;
    case Op::Lt:
      return held ? "<"sv : "≥"sv;
    case Op::Le:
      return held ? "≤"sv : ">"sv;
    case Op::Gt:
      return held ? ">"sv : "≤"sv;
    default:
      return held ? "≥"sv : "<"sv;
  }
}

constexpr std::string_view kNotFilled = " n'est pas renseigné";
constexpr std::string_view kMissing = "(non renseigné)";

}  // namespace

// ---------------------------------------------------------------------------
// The constant parts of the documents of one rule graph, and the writing of one document.

class ExplanationWriter::Parts {
 public:
  using Conjunct = std::pair<Op, std::uint32_t>;

  // A constant part, as bytes. `lazy`: written when used (not precomputed, or its text
  // is not UTF-8, so that the error is raised as dump() raises it: when it is written).
  struct Fragment {
    std::string bytes;
    bool lazy = true;
  };

  // `precompute`: write every constant part now (a writer used for many documents);
  // otherwise each is written when a document uses it (a single document).
  Parts(const graph::RuleGraph& g, bool precompute)
      : g_(g), precomputed_(precompute), id_(next_id()) {
    for (std::uint32_t f = 0; f < g_.schema.fields.size(); ++f) {
      const auto& t = g_.schema.fields[f].type;
      if (t.set && t.base == Base::Row) table_fields_.push_back(f);
    }
    if (!precompute) return;
    regles_ = fragment([&](std::string& o) { make_regles(o); });
    one_lines_.reserve(g_.nodes.size());
    for (const graph::Node& n : g_.nodes) {
      one_lines_.emplace_back();
      text::append_one_line(one_lines_.back(), source(n.range));
    }
    // Condition trees: the nodes a document can show as conditions, i.e. those
    // reachable from the rules' conditions through `et`, `ou`, `non` and definitions.
    node_heads_.resize(g_.nodes.size());
    node_tails_.resize(g_.nodes.size());
    std::vector<bool> seen(g_.nodes.size(), false);
    std::vector<NodeId> stack;
    for (const graph::Decision& d : g_.decisions) {
      for (const graph::Rule& r : d.rules) stack.push_back(r.condition);
    }
    while (!stack.empty()) {
      const NodeId id = stack.back();
      stack.pop_back();
      if (id >= g_.nodes.size() || seen[id]) continue;
      seen[id] = true;
      node_heads_[id] = fragment([&](std::string& o) { make_node_head(o, id); });
      node_tails_[id] = fragment([&](std::string& o) { make_node_tail(o, id); });
      const graph::Node& n = g_.nodes[id];
      if (n.op == Op::Let) {
        stack.push_back(g_.lets[n.a].root);
      } else if (n.op == Op::And || n.op == Op::Or) {
        for (std::uint32_t i = 0; i < n.arg_count; ++i) stack.push_back(g_.args[n.first_arg + i]);
      } else if (n.op == Op::Not) {
        stack.push_back(n.a);
      }
    }
    rules_.resize(g_.decisions.size());
    conjuncts_.resize(g_.decisions.size());
    refines_.resize(g_.decisions.size());
    for (std::uint32_t d = 0; d < g_.decisions.size(); ++d) {
      const auto& rules = g_.decisions[d].rules;
      rules_[d].push_back(g_.decisions[d].fallback
                              ? fragment([&](std::string& o) { make_rule(o, d, kFallbackRule); })
                              : Fragment());
      for (std::int32_t i = 0; i < static_cast<std::int32_t>(rules.size()); ++i)
        rules_[d].push_back(fragment([&](std::string& o) { make_rule(o, d, i); }));
      for (const auto& r : rules) {
        conjuncts_[d].push_back(r.condition == graph::kNoNode ? std::vector<Conjunct>()
                                                              : conjuncts(r.condition));
      }
      refines_[d].assign(rules.size(), std::vector<bool>(rules.size(), false));
      for (std::size_t e = 0; e < rules.size(); ++e) {
        for (std::size_t r = 0; r < rules.size(); ++r) {
          if (rules[e].condition == graph::kNoNode || rules[r].condition == graph::kNoNode)
            continue;
          refines_[d][e][r] = refines(rules[e].condition, rules[r].condition);
        }
      }
    }
    rows_.resize(g_.tables.size());
    for (std::uint32_t t = 0; t < g_.tables.size(); ++t) {
      for (std::uint32_t r = 0; r < g_.tables[t].rows.size(); ++r)
        rows_[t].push_back(fragment([&](std::string& o) { make_row(o, t, r); }));
    }
    field_heads_.resize(g_.schema.fields.size());
    field_tails_.resize(g_.schema.fields.size());
    for (std::uint32_t f : table_fields_) {
      field_heads_[f] = fragment([&](std::string& o) { make_field_head(o, f); });
      field_tails_[f] = fragment([&](std::string& o) { make_field_tail(o, f); });
    }
  }

  const graph::RuleGraph& graph() const { return g_; }

  void document(std::string& out, Interpreter& in, const Record& record,
                const ExplainContext& context) const;

  // ---- constant parts: put_* appends the precomputed bytes, make_* is their only definition

  void put_regles(std::string& out) const {
    if (regles_.lazy) return make_regles(out);
    out += regles_.bytes;
  }
  void put_node_head(std::string& out, NodeId id) const {
    if (id >= node_heads_.size() || node_heads_[id].lazy) return make_node_head(out, id);
    out += node_heads_[id].bytes;
  }
  void put_node_tail(std::string& out, NodeId id) const {
    if (id >= node_tails_.size() || node_tails_[id].lazy) return make_node_tail(out, id);
    out += node_tails_[id].bytes;
  }
  // Raw text (not JSON): the node's source on one line.
  void put_one_line(std::string& out, NodeId id) const {
    if (id < one_lines_.size()) {
      out += one_lines_[id];
    } else {
      text::append_one_line(out, source(g_.nodes[id].range));
    }
  }
  void put_rule(std::string& out, std::uint32_t d, std::int32_t index) const {
    const auto slot = static_cast<std::size_t>(index + 1);  // fallback (-1) first
    if (d >= rules_.size() || slot >= rules_[d].size() || rules_[d][slot].lazy)
      return make_rule(out, d, index);
    out += rules_[d][slot].bytes;
  }
  void put_row(std::string& out, std::uint32_t t, std::uint32_t r) const {
    if (t >= rows_.size() || r >= rows_[t].size() || rows_[t][r].lazy) return make_row(out, t, r);
    out += rows_[t][r].bytes;
  }
  void put_field_head(std::string& out, std::uint32_t f) const {
    if (f >= field_heads_.size() || field_heads_[f].lazy) return make_field_head(out, f);
    out += field_heads_[f].bytes;
  }
  void put_field_tail(std::string& out, std::uint32_t f) const {
    if (f >= field_tails_.size() || field_tails_[f].lazy) return make_field_tail(out, f);
    out += field_tails_[f].bytes;
  }

  // "regles":{"empreinte":…,"nom":…,"version":…}
  void make_regles(std::string& out) const {
    out += "\"regles\":{\"empreinte\":"sv;
    append_string(out, g_.fingerprint);
    out += ",\"nom\":"sv;
    append_string(out, g_.name);
    out += ",\"version\":"sv;
    append_string(out, g_.version);
    out += '}';
  }

  // A condition node up to its `detail` or `enfants`:
  // {["connecteur":…,]["definition":…,"definition_position":…,]
  void make_node_head(std::string& out, NodeId id) const {
    const graph::Node& n = g_.nodes[id];
    const graph::Node& b = g_.nodes[body_of(id)];
    out += '{';
    if (b.op == Op::And || b.op == Op::Or) {
      out += b.op == Op::And ? "\"connecteur\":\"et\","sv : "\"connecteur\":\"ou\","sv;
    } else if (b.op == Op::Not) {
      out += "\"connecteur\":\"non\","sv;
    }
    if (n.op == Op::Let) {
      const graph::Let& let = g_.lets[n.a];
      out += "\"definition\":"sv;
      append_string(out, let.name);
      out += ",\"definition_position\":"sv;
      make_position(out, let.range);
      out += ',';
    }
  }

  // … from after `detail` / `enfants` up to the value: [,"libelle":…],"noeud":…,
  // "position":…,"texte":…,"valeur":
  void make_node_tail(std::string& out, NodeId id) const {
    const graph::Node& n = g_.nodes[id];
    if (n.op == Op::Let && !g_.lets[n.a].label.empty()) {
      out += ",\"libelle\":"sv;
      append_string(out, g_.lets[n.a].label);
    }
    out += ",\"noeud\":"sv;
    append_uint(out, id);
    out += ",\"position\":"sv;
    make_position(out, n.range);
    out += ",\"texte\":"sv;
    std::string text;
    text::append_one_line(text, source(n.range));
    append_string(out, text);
    out += ",\"valeur\":"sv;
  }

  // {"id":…,"motif":…,"nom":…,"position":…,"rang":…,"texte":…}
  void make_rule(std::string& out, std::uint32_t decision, std::int32_t index) const {
    const graph::Decision& d = g_.decisions[decision];
    const graph::Rule& r =
        index == kFallbackRule ? *d.fallback : d.rules[static_cast<std::size_t>(index)];
    const bool fallback = index == kFallbackRule || r.condition == graph::kNoNode;
    out += "{\"id\":"sv;
    append_string(out, d.name + "/" + r.name);
    out += ",\"motif\":"sv;
    append_string(out, r.reason);
    out += ",\"nom\":"sv;
    append_string(out, r.name);
    out += ",\"position\":"sv;
    make_position(out, r.range);
    out += ",\"rang\":"sv;
    if (fallback) {
      out += "\"sinon\""sv;
    } else {
      append_uint(out, static_cast<std::uint32_t>(index));
    }
    out += ",\"texte\":"sv;
    append_string(out, source(r.range));
    out += '}';
  }

  // A table row a label names: {"cle":…,"colonnes":[{"nom":…,"valeur":…},…],"position":…}
  void make_row(std::string& out, std::uint32_t table, std::uint32_t row) const {
    const graph::Table& t = g_.tables[table];
    const graph::Row& r = t.rows[row];
    out += "{\"cle\":"sv;
    append_string(out, r.key);
    out += ",\"colonnes\":["sv;
    bool first = true;
    std::string shown;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {  // in declaration order
      const Value& cell = r.cells[c];
      if (!cell.present) continue;
      if (!first) out += ',';
      first = false;
      const graph::Type& type = t.columns[c].type;
      out += "{\"nom\":"sv;
      append_string(out, t.columns[c].name);
      out += ",\"valeur\":"sv;
      shown.clear();
      if (type.base == Base::Text && !type.set) {
        shown = cell.as_text();
      } else {
        display(shown, type, cell);
      }
      append_string(out, shown);
      out += '}';
    }
    out += "],\"position\":"sv;
    make_position(out, r.range);
    out += '}';
  }

  // A table field's labels, around its `brut` cell and its `libelles`:
  // ,"champ":…,"colonne":…,"libelles":[   and   ],"table":…}
  void make_field_head(std::string& out, std::uint32_t field) const {
    const graph::Field& f = g_.schema.fields[field];
    out += ",\"champ\":"sv;
    append_string(out, f.name);
    out += ",\"colonne\":"sv;
    append_string(out, f.column);
    out += ",\"libelles\":["sv;
  }
  void make_field_tail(std::string& out, std::uint32_t field) const {
    out += "],\"table\":"sv;
    append_string(out, g_.tables[g_.schema.fields[field].type.ref].name);
    out += '}';
  }

  void make_position(std::string& out, const SourceRange& r) const {
    if (!r.valid() || !g_.sources || r.file >= g_.sources->size()) {
      out += "null"sv;
      return;
    }
    out += "{\"colonne\":"sv;
    append_uint(out, r.column);
    out += ",\"fichier\":"sv;
    append_string(out, g_.sources->file(r.file).path);
    out += ",\"fin_colonne\":"sv;
    append_uint(out, r.end_column);
    out += ",\"fin_ligne\":"sv;
    append_uint(out, r.end_line);
    out += ",\"ligne\":"sv;
    append_uint(out, r.line);
    out += '}';
  }

  std::string_view source(const SourceRange& r) const {
    if (!r.valid() || !g_.sources || r.file >= g_.sources->size()) return {};
    return g_.sources->file(r.file).slice(r);
  }

  // What a condition node says: a definition's body, or the node itself.
  NodeId body_of(NodeId id) const {
    const graph::Node& n = g_.nodes[id];
    return n.op == Op::Let ? g_.lets[n.a].root : id;
  }

  // ---- values, as people read them

  // "Étude / faisabilité" quoted, {A, B} for sets, dates and numbers as they are.
  void display(std::string& out, const graph::Type& type, const Value& v) const {
    if (!v.present) {
      out += kMissing;
      return;
    }
    if (type.set) {
      out += '{';
      bool first = true;
      auto add = [&](std::string_view item) {
        if (!first) out += ", "sv;
        first = false;
        out += item;
      };
      if (type.base == Base::Text) {
        for (std::uint32_t i = 0; i < v.size; ++i) add(v.texts[i]);
      } else {
        const bool is_enum = type.base == Base::Enum;
        const std::size_t universe =
            is_enum ? g_.enums[type.ref].values.size() : g_.tables[type.ref].rows.size();
        for (std::uint32_t i = 0; i < universe; ++i) {
          if (!v.has_bit(i)) continue;
          add(is_enum ? std::string_view(g_.enums[type.ref].values[i].label)
                      : std::string_view(g_.tables[type.ref].rows[i].key));
        }
      }
      out += '}';
      return;
    }
    switch (type.base) {
      case Base::Text:
        append_quoted_text(out, v.as_text());
        return;
      case Base::Enum:
        out += '"';
        out += g_.enums[type.ref].values[v.id].label;
        out += '"';
        return;
      case Base::Row:
        out += '"';
        out += g_.tables[type.ref].rows[v.id].key;
        out += '"';
        return;
      case Base::Boolean:
        out += v.boolean ? "oui"sv : "non"sv;
        return;
      default:
        append_value(out, g_, type, v);
        return;
    }
  }

  void value_label(std::string& out, const graph::Type& type, const Value& v) const {
    if (!v.present) {
      out += kMissing;
    } else if (type.base == Base::Enum && !type.set) {
      out += g_.enums[type.ref].values[v.id].label;
    } else {
      append_value(out, g_, type, v);
    }
  }

  // ---- what it would take

  // Top-level conjuncts of a condition, looking through definitions:
  // `contribue et mature` → {contribue, mature}. Identified by what they refer to.
  std::vector<Conjunct> conjuncts(NodeId id) const {
    std::vector<Conjunct> out;
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

  bool rule_refines(std::uint32_t d, std::size_t earlier, std::size_t decided) const {
    if (d < refines_.size()) return refines_[d][earlier][decided];
    const auto& rules = g_.decisions[d].rules;
    return refines(rules[earlier].condition, rules[decided].condition);
  }

  const std::vector<Conjunct>& rule_conjuncts(std::uint32_t d, std::size_t rule,
                                              std::vector<Conjunct>& scratch) const {
    if (d < conjuncts_.size()) return conjuncts_[d][rule];
    scratch = conjuncts(g_.decisions[d].rules[rule].condition);
    return scratch;
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

  const std::vector<std::uint32_t>& table_fields() const { return table_fields_; }

  // The `libelles` items already written for a cell of `table` on this thread by this
  // writer, or null. Matching labels is the costly part of a document, and a campaign
  // repeats the same few combinations of levers. Each thread keeps its own entries, for
  // one writer at a time, within a bound (as the record decoder's cache of the same cells).
  const std::string* known_labels(std::uint32_t table, std::string_view cell) const {
    if (!precomputed_) return nullptr;
    const LabelCache& cache = label_cache();
    if (cache.owner != id_) return nullptr;
    const auto it = cache.by_table[table].find(cell);
    return it == cache.by_table[table].end() ? nullptr : &it->second;
  }
  void remember_labels(std::uint32_t table, std::string_view cell, std::string_view bytes) const {
    if (!precomputed_) return;
    LabelCache& cache = label_cache();
    if (cache.owner != id_ || cache.bytes > kLabelCacheBytes) {
      cache.owner = id_;
      cache.bytes = 0;
      cache.by_table.assign(g_.tables.size(), {});
    }
    cache.by_table[table].emplace(std::string(cell), std::string(bytes));
    cache.bytes += cell.size() + bytes.size();
  }

 private:
  struct CellHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct LabelCache {
    std::uint64_t owner = 0;  // id_ of the writer the entries are for
    std::size_t bytes = 0;
    std::vector<std::unordered_map<std::string, std::string, CellHash, std::equal_to<>>> by_table;
  };
  static constexpr std::size_t kLabelCacheBytes = std::size_t{8} << 20;
  static LabelCache& label_cache() {
    thread_local LabelCache cache;
    return cache;
  }
  static std::uint64_t next_id() {
    static std::atomic<std::uint64_t> last{0};
    return ++last;
  }

  // A constant part written now; left to be written when used if writing it fails
  // (text that is not UTF-8: the error then comes, as from dump(), with the document).
  template <class Make>
  static Fragment fragment(Make&& make) {
    Fragment f;
    try {
      make(f.bytes);
      f.lazy = false;
    } catch (const json::exception&) {
      f.bytes.clear();
    }
    return f;
  }

  const graph::RuleGraph& g_;
  const bool precomputed_;
  const std::uint64_t id_;                   // tells this writer's cached labels apart
  std::vector<std::uint32_t> table_fields_;  // schema fields of type `ensemble de <table>`
  Fragment regles_;
  std::vector<Fragment> node_heads_, node_tails_;
  std::vector<std::string> one_lines_;
  std::vector<std::vector<Fragment>> rules_;  // [decision][rule index + 1] (0: the fallback)
  std::vector<std::vector<Fragment>> rows_;   // [table][row]
  std::vector<Fragment> field_heads_, field_tails_;
  std::vector<std::vector<std::vector<Conjunct>>> conjuncts_;  // [decision][rule]
  std::vector<std::vector<std::vector<bool>>> refines_;        // [decision][earlier][decided]
};

namespace {

// One document being written: the graph's constant parts, the record's values.
class Document {
 public:
  Document(const ExplanationWriter::Parts& parts, Interpreter& in, const Record& record,
           std::string& out, std::string& scratch)
      : p_(parts), g_(parts.graph()), in_(in), record_(record), out_(out), scratch_(scratch) {}

  // {"decisions":[…],"dossier":{…},"regles":{…},"schema":…,"tables":[…]}
  void write(const ExplainContext& context) {
    out_ += "{\"decisions\":["sv;
    for (std::uint32_t d = 0; d < g_.decisions.size(); ++d) {
      if (d > 0) out_ += ',';
      decision(d);
    }
    out_ += "],\"dossier\":{"sv;
    const bool has_id = !g_.schema.fields.empty();
    if (has_id) {
      out_ += "\"champ_id\":"sv;
      append_string(out_, g_.schema.fields[0].name);
      out_ += ',';
    }
    out_ += "\"fichier\":"sv;
    append_string(out_, context.campaign);
    if (has_id) {
      out_ += ",\"id\":"sv;
      append_string(out_, text::trim(record_.raw[0]));
    }
    out_ += ",\"ligne\":"sv;
    append_uint(out_, context.line);
    out_ += "},"sv;
    p_.put_regles(out_);
    out_ += ",\"schema\":"sv;
    append_string(out_, kExplanationSchema);
    out_ += ",\"tables\":["sv;
    bool first = true;
    for (std::uint32_t f : p_.table_fields()) {
      if (!first) out_ += ',';
      first = false;
      labels(f);
    }
    out_ += "]}"sv;
  }

 private:
  enum class Mode { Full, Failure };

  // {"conditions":…,"decision":…,"libelle":…,"politique":…,"pour_atteindre":[…],
  //  "regle":…,"regles_non_appliquees":[…],"valeur":…}
  void decision(std::uint32_t index) {
    const graph::Decision& d = g_.decisions[index];
    const DecisionOutcome outcome = in_.decide(index);
    const graph::Rule* fired = nullptr;
    if (outcome.rule >= 0) fired = &d.rules[static_cast<std::size_t>(outcome.rule)];
    if (outcome.rule == kFallbackRule && d.fallback) fired = &*d.fallback;

    out_ += "{\"conditions\":"sv;
    if (fired != nullptr && fired->condition != graph::kNoNode) {
      condition(fired->condition, Mode::Full);
    } else {
      out_ += "null"sv;
    }
    out_ += ",\"decision\":"sv;
    append_string(out_, d.name);
    out_ += ",\"libelle\":"sv;
    scratch_.clear();
    p_.value_label(scratch_, d.type, outcome.value);
    append_string(out_, scratch_);
    out_ += d.policy == graph::HitPolicy::First    ? ",\"politique\":\"première\""sv
            : d.policy == graph::HitPolicy::Unique ? ",\"politique\":\"unique\""sv
                                                   : ",\"politique\":\"toutes\""sv;

    // "What it would take": for a first-hit decision, each earlier rule that asks for
    // everything the deciding one asks for, and more.
    out_ += ",\"pour_atteindre\":["sv;
    if (d.policy == graph::HitPolicy::First && outcome.rule > 0) {
      const auto decided = static_cast<std::size_t>(outcome.rule);
      std::vector<ExplanationWriter::Parts::Conjunct> scratch;
      const auto& satisfied = p_.rule_conjuncts(index, decided, scratch);
      bool first = true;
      for (std::size_t i = 0; i < decided; ++i) {
        if (!p_.rule_refines(index, i, decided)) continue;
        const graph::Rule& earlier = d.rules[i];
        if (!first) out_ += ',';
        first = false;
        out_ += "{\"conditions_manquantes\":["sv;
        bool first_missing = true;
        collect_missing(earlier.condition, satisfied, first_missing);
        const Value result = in_.evaluate(earlier.result);
        out_ += "],\"libelle\":"sv;
        scratch_.clear();
        p_.value_label(scratch_, d.type.element(), result);
        append_string(out_, scratch_);
        out_ += ",\"regle\":"sv;
        p_.put_rule(out_, index, static_cast<std::int32_t>(i));
        out_ += ",\"valeur\":"sv;
        scratch_.clear();
        append_value(scratch_, g_, d.type.element(), result);
        append_string(out_, scratch_);
        out_ += '}';
      }
    }
    out_ += "],\"regle\":"sv;
    if (fired != nullptr) {
      p_.put_rule(out_, index, outcome.rule);
    } else {
      out_ += "null"sv;
    }

    // Rules that did not apply: for a first-hit decision, those before the deciding one.
    const std::size_t until = outcome.rule >= 0 && d.policy == graph::HitPolicy::First
                                  ? static_cast<std::size_t>(outcome.rule)
                                  : d.rules.size();
    out_ += ",\"regles_non_appliquees\":["sv;
    bool first = true;
    for (std::size_t i = 0; i < until; ++i) {
      if (static_cast<std::int32_t>(i) == outcome.rule) continue;
      if (in_.evaluate(d.rules[i].condition).boolean) continue;  // applied (collect / unique)
      if (!first) out_ += ',';
      first = false;
      out_ += "{\"condition_en_echec\":"sv;
      condition(d.rules[i].condition, Mode::Failure);
      out_ += ",\"regle\":"sv;
      p_.put_rule(out_, index, static_cast<std::int32_t>(i));
      out_ += '}';
    }
    out_ += "],\"valeur\":"sv;
    scratch_.clear();
    append_value(scratch_, g_, d.type, outcome.value);
    append_string(out_, scratch_);
    out_ += '}';
  }

  // ---- condition trees

  void condition(NodeId id, Mode mode) { condition(id, mode, in_.evaluate(id).boolean); }

  // `value`: the node's value (the caller has it already).
  void condition(NodeId id, Mode mode, bool value) {
    p_.put_node_head(out_, id);
    const NodeId body = p_.body_of(id);
    const graph::Node& b = g_.nodes[body];
    if (b.op == Op::And || b.op == Op::Or) {
      out_ += "\"enfants\":["sv;
      bool first = true;
      for (std::uint32_t i = 0; i < b.arg_count; ++i) {
        const NodeId child = g_.args[b.first_arg + i];
        const bool child_value = in_.evaluate(child).boolean;
        if (mode == Mode::Failure && b.op == Op::And && child_value) continue;  // held: not why
        if (!first) out_ += ',';
        first = false;
        condition(child, mode, child_value);
        if (mode == Mode::Failure && b.op == Op::And) break;  // the first failing conjunct
      }
      out_ += ']';
    } else if (b.op == Op::Not) {
      out_ += "\"enfants\":["sv;
      condition(b.a, Mode::Full);
      out_ += ']';
    } else if (b.op == Op::Let) {
      out_ += "\"enfants\":["sv;
      condition(body, mode, value);
      out_ += ']';
    } else {
      out_ += "\"detail\":"sv;
      scratch_.clear();
      detail(body, value);
      append_string(out_, scratch_);
    }
    p_.put_node_tail(out_, id);
    append_bool(out_, value);
    out_ += '}';
  }

  // The failing conditions of `id`, descending through `et` and definitions,
  // skipping those the decided rule already satisfies.
  void collect_missing(NodeId id, const std::vector<ExplanationWriter::Parts::Conjunct>& satisfied,
                       bool& first) {
    const graph::Node& n = g_.nodes[id];
    if (in_.evaluate(id).boolean) return;
    const ExplanationWriter::Parts::Conjunct key = (n.op == Op::Let || n.op == Op::Field)
                                                       ? std::make_pair(n.op, n.a)
                                                       : std::make_pair(n.op, id);
    if (std::find(satisfied.begin(), satisfied.end(), key) != satisfied.end()) return;
    if (n.op == Op::And || (n.op == Op::Let && p_.groups_definitions(g_.lets[n.a].root))) {
      const graph::Node& b = n.op == Op::And ? n : g_.nodes[g_.lets[n.a].root];
      for (std::uint32_t i = 0; i < b.arg_count; ++i)
        collect_missing(g_.args[b.first_arg + i], satisfied, first);
      return;
    }
    if (!first) out_ += ',';
    first = false;
    condition(id, Mode::Failure, false);
  }

  // ---- details: a French sentence with the values the rules saw (into scratch_, raw)

  // An operand as written, with its value unless it is a constant.
  void operand(NodeId id, const Value& v) {
    const graph::Node& n = g_.nodes[id];
    if (n.op != Op::Const) {
      p_.put_one_line(scratch_, id);
      scratch_ += " = "sv;
    }
    p_.display(scratch_, n.type, v);
  }
  void operand(NodeId id) { operand(id, in_.evaluate(id)); }

  // The right-hand side: its value, then its name if it is not a constant.
  void reference(NodeId id) { reference(id, in_.evaluate(id)); }
  void reference(NodeId id, const Value& v) {
    const graph::Node& n = g_.nodes[id];
    p_.display(scratch_, n.type, v);
    if (n.op == Op::Const) return;
    scratch_ += " ("sv;
    p_.put_one_line(scratch_, id);
    scratch_ += ')';
  }

  void not_filled(NodeId id) {
    p_.put_one_line(scratch_, id);
    scratch_ += kNotFilled;
  }

  void detail(NodeId id, bool value) {
    const graph::Node& n = g_.nodes[id];
    switch (n.op) {
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge: {
        const Value lhs = in_.evaluate(n.a);
        if (!lhs.present) return not_filled(n.a);
        const Value rhs = in_.evaluate(n.b);
        if (!rhs.present) return not_filled(n.b);
        // An equality reads best as the value, and what was expected when it fails.
        if (n.op == Op::Eq && g_.nodes[n.b].op == Op::Const) {
          operand(n.a, lhs);
          if (!value) {
            scratch_ += " (attendu : "sv;
            reference(n.b, rhs);
            scratch_ += ')';
          }
          return;
        }
        operand(n.a, lhs);
        scratch_ += ' ';
        scratch_ += relation(n.op, value);
        scratch_ += ' ';
        reference(n.b, rhs);
        return;
      }
      case Op::In:
      case Op::NotIn: {
        const Value item = in_.evaluate(n.a);
        if (!item.present) return not_filled(n.a);
        const Value set = in_.evaluate(n.b);
        operand(n.a, item);
        scratch_ += set.has_bit(item.id) ? " ∈ "sv : " ∉ "sv;
        reference(n.b, set);
        return;
      }
      case Op::Contains:
        operand(n.a);
        scratch_ += value ? " contient "sv : " ne contient pas "sv;
        reference(n.b);
        return;
      case Op::IsSet:
      case Op::IsNotSet: {
        const Value v = in_.evaluate(n.a);
        if (!v.present) return not_filled(n.a);
        operand(n.a, v);
        scratch_ += " est renseigné"sv;
      }
        return;
      case Op::IsEmpty:
      case Op::IsNotEmpty: {
        const bool empty = n.op == Op::IsEmpty ? value : !value;
        operand(n.a);
        scratch_ += empty ? " est vide"sv : " n'est pas vide"sv;
        return;
      }
      case Op::Field:
        return operand(id);
      default:
        p_.put_one_line(scratch_, id);
        scratch_ += value ? " : vrai"sv : " : faux"sv;
        return;
    }
  }

  // ---- table labels (levers): how each label of the export resolved
  // {"brut":…,"champ":…,"colonne":…,"libelles":[…],"table":…}

  void labels(std::uint32_t field) {
    const graph::Field& f = g_.schema.fields[field];
    const std::uint32_t table = f.type.ref;
    out_ += "{\"brut\":"sv;
    append_string(out_, record_.raw[field]);
    p_.put_field_head(out_, field);
    const std::string_view cell = text::trim(record_.raw[field]);
    if (const std::string* known = p_.known_labels(table, cell)) {
      out_ += *known;
    } else {
      const std::size_t start = out_.size();
      resolve_labels(table, cell);
      p_.remember_labels(table, cell, std::string_view(out_).substr(start));
    }
    p_.put_field_tail(out_, field);
  }

  // The `libelles` items of a cell (trimmed): how each of its labels names table rows.
  void resolve_labels(std::uint32_t table, std::string_view cell) {
    bool first = true;
    for (const auto& m : io::match_labels(g_.tables[table], cell)) {
      if (!first) out_ += ',';
      first = false;
      if (m.rows.empty()) {
        out_ += "{\"brut\":"sv;
        append_string(out_, m.raw);
        out_ += ",\"statut\":\"inconnu\"}"sv;
        continue;
      }
      out_ += '{';
      if (m.by_alias) {
        out_ += "\"alias\":"sv;
        append_string(out_, m.spelling);
        out_ += ',';
      }
      out_ += "\"brut\":"sv;
      append_string(out_, m.raw);
      out_ += ",\"exact\":"sv;
      append_bool(out_, m.exact);
      out_ += ",\"lignes\":["sv;
      for (std::size_t r = 0; r < m.rows.size(); ++r) {
        if (r > 0) out_ += ',';
        p_.put_row(out_, table, m.rows[r]);
      }
      out_ += m.by_alias ? "],\"statut\":\"alias\"}"sv : "],\"statut\":\"nom\"}"sv;
    }
  }

  const ExplanationWriter::Parts& p_;
  const graph::RuleGraph& g_;
  Interpreter& in_;
  const Record& record_;
  std::string& out_;
  std::string& scratch_;  // a detail or a value, before it is escaped into out_
};

}  // namespace

void ExplanationWriter::Parts::document(std::string& out, Interpreter& in, const Record& record,
                                        const ExplainContext& context) const {
  thread_local std::string scratch;  // capacity kept from one document to the next
  const std::size_t size = out.size();
  try {
    Document(*this, in, record, out, scratch).write(context);
  } catch (...) {
    out.resize(size);
    throw;
  }
}

// ---------------------------------------------------------------------------

ExplanationWriter::ExplanationWriter(const graph::RuleGraph& graph)
    : parts_(std::make_unique<const Parts>(graph, true)) {}
ExplanationWriter::~ExplanationWriter() = default;
ExplanationWriter::ExplanationWriter(ExplanationWriter&&) noexcept = default;
ExplanationWriter& ExplanationWriter::operator=(ExplanationWriter&&) noexcept = default;

const graph::RuleGraph& ExplanationWriter::graph() const {
  return parts_->graph();
}

void ExplanationWriter::append(std::string& out, Interpreter& interpreter, const Record& record,
                               const ExplainContext& context) const {
  parts_->document(out, interpreter, record, context);
  out += '\n';
}

void ExplanationWriter::append_document(std::string& out, Interpreter& interpreter,
                                        const Record& record, const ExplainContext& context) const {
  parts_->document(out, interpreter, record, context);
}

json explain(const graph::RuleGraph& graph, Interpreter& interpreter, const Record& record,
             const ExplainContext& context) {
  // One document: its constant parts are written as it uses them.
  std::string bytes;
  ExplanationWriter::Parts(graph, false).document(bytes, interpreter, record, context);
  return json::parse(bytes);
}

void append_rejection_jsonl(std::string& out, std::string_view campaign, std::string_view id,
                            std::size_t line, const std::vector<std::string>& reasons) {
  const std::size_t size = out.size();
  try {
    out += "{\"dossier\":{\"fichier\":"sv;
    append_string(out, campaign);
    out += ",\"id\":"sv;
    append_string(out, id);
    out += ",\"ligne\":"sv;
    append_uint(out, line);
    out += "},\"rejet\":["sv;
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      if (i > 0) out += ',';
      append_string(out, reasons[i]);
    }
    out += "],\"schema\":"sv;
    append_string(out, kExplanationSchema);
    out += "}\n"sv;
  } catch (...) {
    out.resize(size);
    throw;
  }
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

// ---------------------------------------------------------------------------
// JSON strings, escaped as nlohmann's serializer escapes them (ensure_ascii off).

namespace json_out {

namespace {

// Length of the well-formed UTF-8 sequence at p (lead byte ≥ 0x80), 0 if ill-formed:
// the sequences nlohmann's decoder accepts (no overlong form, no surrogate, ≤ U+10FFFF).
std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) {
  const unsigned c = p[0];
  const auto left = static_cast<std::size_t>(end - p);
  auto cont = [&](std::size_t i, unsigned lo = 0x80, unsigned hi = 0xBF) {
    return i < left && p[i] >= lo && p[i] <= hi;
  };
  if (c < 0xC2) return 0;
  if (c < 0xE0) return cont(1) ? 2 : 0;
  if (c < 0xF0) {
    const unsigned lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned hi = c == 0xED ? 0x9F : 0xBF;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c < 0xF5) {
    const unsigned lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

[[noreturn]] void refuse(std::string_view s) {
  // Let nlohmann say it, so that the exception is the one dump() throws.
  (void)json(std::string(s)).dump();
  throw json::type_error::create(316, "invalid UTF-8", nullptr);  // not reached
}

}  // namespace

void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  const auto* run = p;  // start of the bytes not yet copied
  out += '"';
  while (p < end) {
    // Eight plain bytes at a time: none below 0x20, none ≥ 0x80, no '"', no '\\'.
    while (end - p >= 8) {
      std::uint64_t x;
      std::memcpy(&x, p, 8);
      constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      const std::uint64_t quote = x ^ (kOnes * '"');
      const std::uint64_t backslash = x ^ (kOnes * '\\');
      const std::uint64_t control = (x - kOnes * 0x20) & ~x;  // a byte below 0x20
      const std::uint64_t quotes = (quote - kOnes) & ~quote;
      const std::uint64_t backslashes = (backslash - kOnes) & ~backslash;
      if (((control | quotes | backslashes | x) & kHigh) != 0) break;
      p += 8;
    }
    if (p >= end) break;
    const unsigned c = *p;
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++p;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence(p, end);
      if (n == 0) refuse(s);
      p += n;
      continue;
    }
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    switch (c) {
      case '"':
        out += "\\\""sv;
        break;
      case '\\':
        out += "\\\\"sv;
        break;
      case '\b':
        out += "\\b"sv;
        break;
      case '\t':
        out += "\\t"sv;
        break;
      case '\n':
        out += "\\n"sv;
        break;
      case '\f':
        out += "\\f"sv;
        break;
      case '\r':
        out += "\\r"sv;
        break;
      default: {
        const char escape[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(escape, sizeof escape);
        break;
      }
    }
    run = ++p;
  }
  out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(end - run));
  out += '"';
}

}  // namespace json_out

}  // namespace tamis::runtime
