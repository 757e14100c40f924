#include "runtime/explain/explain.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <cstring>
#include <type_traits>
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
using json_out::append_escaped;
using json_out::append_string;
using json_out::append_uint;
using json_out::ByteBuffer;
using nlohmann::json;
using namespace std::string_view_literals;

// The document is written key by key in the order nlohmann's objects (std::map) keep
// them, i.e. sorted: that is what makes these bytes equal to explain(…).dump().

namespace {

// Text on one line for explanations: line breaks shown as ⏎, quotes escaped,
// long texts cut (the export holds the full value).
template <class Out>
void append_quoted_text(Out& out, std::string_view s) {
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

// Where a sentence (a `detail`, a table cell) is written. `lit` takes text with nothing
// to escape (the constant words of the sentences); `text` any text.
//
// As it reads, into a string escaped later as a whole.
template <class Out>
struct RawSink {
  static constexpr bool kEscaped = false;
  Out& out;
  void lit(std::string_view s) { out += s; }
  void lit(char c) { out += c; }
  void text(std::string_view s) { out += s; }
  void quote() { out += '"'; }
  void quoted_text(std::string_view s) { append_quoted_text(out, s); }
};

// Straight into the document, each piece escaped as it comes. The pieces are escaped
// as the whole would be, unless one is not UTF-8: then `failed` is set and the caller
// writes the sentence again through a RawSink, so that the error is the whole's.
struct EscapedSink {
  static constexpr bool kEscaped = true;
  json_out::ByteBuffer& out;
  json_out::ByteBuffer& scratch;
  bool failed = false;
  void lit(std::string_view s) { out += s; }
  void lit(char c) { out += c; }
  void text(std::string_view s) {
    if (!json_out::append_escaped_if_utf8(out, s)) failed = true;
  }
  void quote() { out += "\\\""sv; }
  void quoted_text(std::string_view s) {
    scratch.clear();
    append_quoted_text(scratch, s);
    text(scratch.view());
  }
};

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
    ByteBuffer buffer;
    const auto escaped = [&](std::string_view text) {
      return fragment([&](std::string& o) {
        buffer.clear();
        append_escaped(buffer, text);
        o = buffer.view();
      });
    };
    one_lines_.reserve(g_.nodes.size());
    for (const graph::Node& n : g_.nodes) {
      one_lines_.emplace_back();
      text::append_one_line(one_lines_.back(), source(n.range));
      escaped_one_lines_.push_back(escaped(one_lines_.back()));
    }
    escaped_labels_.resize(g_.enums.size());
    for (std::size_t e = 0; e < g_.enums.size(); ++e) {
      for (const auto& value : g_.enums[e].values)
        escaped_labels_[e].push_back(escaped(value.label));
    }
    escaped_keys_.resize(g_.tables.size());
    for (std::size_t t = 0; t < g_.tables.size(); ++t) {
      for (const auto& row : g_.tables[t].rows) escaped_keys_[t].push_back(escaped(row.key));
    }
    // Condition trees: the nodes a document can show as conditions, i.e. those
    // reachable from the rules' conditions through `et`, `ou`, `non` and definitions.
    node_opens_.resize(g_.nodes.size());
    node_closes_.resize(g_.nodes.size());
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
      node_opens_[id] = fragment([&](std::string& o) { make_node_open(o, id); });
      for (std::size_t v = 0; v < 2; ++v)
        node_closes_[id][v] = fragment([&](std::string& o) { make_node_close(o, id, v == 1); });
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
    dossier_head_ = fragment([&](std::string& o) { make_dossier_head(o); });
    field_heads_.resize(g_.schema.fields.size());
    field_tails_.resize(g_.schema.fields.size());
    for (std::uint32_t f : table_fields_) {
      field_heads_[f] = fragment([&](std::string& o) { make_field_head(o, f); });
      field_tails_[f] = fragment([&](std::string& o) { make_field_tail(o, f); });
    }
  }

  const graph::RuleGraph& graph() const { return g_; }

  // Appends the document, then '\n' when `newline`.
  void document(std::string& out, Interpreter& in, const Record& record,
                const ExplainContext& context, bool newline) const;

  // ---- constant parts: put_* appends the precomputed bytes, make_* is their only definition

  void put_regles(ByteBuffer& out) const {
    put(out, &regles_, [&](std::string& o) { make_regles(o); });
  }
  void put_dossier_head(ByteBuffer& out) const {
    put(out, &dossier_head_, [&](std::string& o) { make_dossier_head(o); });
  }
  // A condition node up to the inside of its `detail` or `enfants`.
  void put_node_open(ByteBuffer& out, NodeId id) const {
    put(out, id < node_opens_.size() ? &node_opens_[id] : nullptr,
        [&](std::string& o) { make_node_open(o, id); });
  }
  // … from the end of its `detail` or `enfants` to the end of the node, with its value.
  void put_node_close(ByteBuffer& out, NodeId id, bool value) const {
    put(out, id < node_closes_.size() ? &node_closes_[id][value ? 1 : 0] : nullptr,
        [&](std::string& o) { make_node_close(o, id, value); });
  }
  // Raw text (not JSON): the node's source on one line.
  void put_one_line(ByteBuffer& out, NodeId id) const {
    if (id < one_lines_.size()) {
      out += one_lines_[id];
    } else {
      std::string line;
      text::append_one_line(line, source(g_.nodes[id].range));
      out += line;
    }
  }
  // … escaped for a JSON string; false (nothing written) when it is not UTF-8.
  bool put_escaped_one_line(ByteBuffer& out, NodeId id) const {
    if (id < escaped_one_lines_.size() && !escaped_one_lines_[id].lazy) {
      out += escaped_one_lines_[id].bytes;
      return true;
    }
    std::string line;
    text::append_one_line(line, source(g_.nodes[id].range));
    return json_out::append_escaped_if_utf8(out, line);
  }
  void put_rule(ByteBuffer& out, std::uint32_t d, std::int32_t index) const {
    const auto slot = static_cast<std::size_t>(index + 1);  // fallback (-1) first
    put(out, d < rules_.size() && slot < rules_[d].size() ? &rules_[d][slot] : nullptr,
        [&](std::string& o) { make_rule(o, d, index); });
  }
  void put_row(std::string& out, std::uint32_t t, std::uint32_t r) const {
    if (t >= rows_.size() || r >= rows_[t].size() || rows_[t][r].lazy) return make_row(out, t, r);
    out += rows_[t][r].bytes;
  }
  void put_field_head(ByteBuffer& out, std::uint32_t f) const {
    put(out, f < field_heads_.size() ? &field_heads_[f] : nullptr,
        [&](std::string& o) { make_field_head(o, f); });
  }
  void put_field_tail(ByteBuffer& out, std::uint32_t f) const {
    put(out, f < field_tails_.size() ? &field_tails_[f] : nullptr,
        [&](std::string& o) { make_field_tail(o, f); });
  }

  // {"champ_id":…,"fichier":   (or {"fichier": when the schema has no field)
  void make_dossier_head(std::string& out) const {
    out += '{';
    if (!g_.schema.fields.empty()) {
      out += "\"champ_id\":"sv;
      append_string(out, g_.schema.fields[0].name);
      out += ',';
    }
    out += "\"fichier\":"sv;
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

  // Whether a condition node shows `enfants` (otherwise a `detail` sentence).
  bool has_children(NodeId id) const {
    const Op op = g_.nodes[body_of(id)].op;
    return op == Op::And || op == Op::Or || op == Op::Not || op == Op::Let;
  }

  // A condition node up to the inside of its `detail` or `enfants`:
  // {["connecteur":…,]["definition":…,"definition_position":…,]("enfants":[ | "detail":")
  void make_node_open(std::string& out, NodeId id) const {
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
    out += has_children(id) ? "\"enfants\":["sv : "\"detail\":\""sv;
  }

  // … from the end of `detail` / `enfants` to the end of the node: ("]" | '"')
  // [,"libelle":…],"noeud":…,"position":…,"texte":…,"valeur":…}
  void make_node_close(std::string& out, NodeId id, bool value) const {
    const graph::Node& n = g_.nodes[id];
    out += has_children(id) ? ']' : '"';
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
    append_bool(out, value);
    out += '}';
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
        RawSink<std::string> sink{shown};
        display(sink, type, cell);
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
  template <class Sink>
  void display(Sink& out, const graph::Type& type, const Value& v) const {
    if (!v.present) {
      out.lit(kMissing);
      return;
    }
    if (type.set) {
      out.lit('{');
      bool first = true;
      auto add = [&](std::string_view item) {
        if (!first) out.lit(", "sv);
        first = false;
        out.text(item);
      };
      if (type.base == Base::Text) {
        for (std::uint32_t i = 0; i < v.size; ++i) add(v.texts[i]);
      } else {
        // The members, by scanning the set bits (a dossier names a few of many rows).
        const bool is_enum = type.base == Base::Enum;
        const std::size_t universe =
            is_enum ? g_.enums[type.ref].values.size() : g_.tables[type.ref].rows.size();
        for (std::uint32_t w = 0; w < v.size; ++w) {
          for (std::uint64_t bits = v.words[w]; bits != 0; bits &= bits - 1) {
            const auto i = w * 64 + static_cast<std::uint32_t>(std::countr_zero(bits));
            if (i >= universe) break;
            if (!first) out.lit(", "sv);
            first = false;
            name(out, type.base, type.ref, i);
          }
        }
      }
      out.lit('}');
      return;
    }
    switch (type.base) {
      case Base::Text:
        out.quoted_text(v.as_text());
        return;
      case Base::Enum:
      case Base::Row:
        out.quote();
        name(out, type.base, type.ref, v.id);
        out.quote();
        return;
      case Base::Boolean:
        out.lit(v.boolean ? "oui"sv : "non"sv);
        return;
      case Base::Integer: {  // as fmt's "{}" (append_value()) writes it
        char digits[24];
        out.lit(
            std::string_view(digits, std::to_chars(digits, digits + sizeof digits, v.integer).ptr));
        return;
      }
      case Base::Date:
        out.lit(date(v.date));
        return;
      default:  // a decimal: ASCII digits and signs, nothing to escape
        out.lit(formatted_text(type, v));
        return;
    }
  }

  // text::format_date(days), remembered: a campaign shows the same few dates (its
  // deadlines and constants) again and again.
  static std::string_view date(std::int32_t days) {
    struct Entry {
      std::int32_t days = 0;
      bool set = false;
      std::string text;
    };
    thread_local std::array<Entry, 256> cache;
    Entry& e = cache[static_cast<std::uint32_t>(days) % cache.size()];
    if (!e.set || e.days != days) {
      e.text = text::format_date(days);
      e.days = days;
      e.set = true;
    }
    return e.text;
  }

  // An enum value's label or a table row's key; escaped once for all when it can be.
  template <class Sink>
  void name(Sink& out, Base base, std::uint32_t ref, std::uint32_t i) const {
    if constexpr (Sink::kEscaped) {
      const auto& escaped = base == Base::Enum ? escaped_labels_ : escaped_keys_;
      if (ref < escaped.size() && i < escaped[ref].size() && !escaped[ref][i].lazy)
        return out.lit(escaped[ref][i].bytes);
    }
    out.text(base == Base::Enum ? std::string_view(g_.enums[ref].values[i].label)
                                : std::string_view(g_.tables[ref].rows[i].key));
  }

  template <class Out>
  void value_label(Out& out, const graph::Type& type, const Value& v) const {
    if (!v.present) {
      out += kMissing;
    } else if (type.base == Base::Enum && !type.set) {
      out += g_.enums[type.ref].values[v.id].label;
    } else {
      formatted(out, type, v);
    }
  }

  // append_value() into either kind of output.
  template <class Out>
  void formatted(Out& out, const graph::Type& type, const Value& v) const {
    if constexpr (std::is_same_v<Out, std::string>) {
      append_value(out, g_, type, v);
    } else {
      out += formatted_text(type, v);
    }
  }

  // append_value()'s text: a view valid until the next call on this thread.
  std::string_view formatted_text(const graph::Type& type, const Value& v) const {
    thread_local std::string text;
    text.clear();
    append_value(text, g_, type, v);
    return text;
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

  // The `libelles` items of a cell (trimmed): how each of its labels names table rows.
  // Matching labels is the costly part of a document, and a campaign repeats the same
  // few labels in many combinations: a writer used for many documents remembers, on
  // each thread, the items of the cells and of the labels it has written.
  void put_labels(ByteBuffer& out, std::uint32_t table, std::string_view cell) const {
    if (!precomputed_) {
      std::string items;
      write_labels(items, table, cell);
      out += items;
      return;
    }
    ThreadCache& cache = thread_cache();
    if (cache.owner != id_ || cache.bytes > kLabelCacheBytes) cache.reset(id_, g_.tables.size());
    auto& cells = cache.cells[table];
    if (const auto it = cells.find(cell); it != cells.end()) {
      out += it->second;
      return;
    }
    std::string items;
    if (!labels_by_item(cache, table, cell, items)) {
      items.clear();
      write_labels(items, table, cell);
    }
    out += items;
    cache.bytes += cell.size() + items.size();
    cells.emplace(std::string(cell), std::move(items));
  }

 private:
  struct CellHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using BytesByText = std::unordered_map<std::string, std::string, CellHash, std::equal_to<>>;
  // What one thread remembers for one writer at a time, within a bound (as the record
  // decoder's cache of the same cells).
  struct ThreadCache {
    std::uint64_t owner = 0;  // id_ of the writer the entries are for
    std::size_t bytes = 0;
    std::vector<BytesByText> cells;  // [table] trimmed cell → its `libelles` items
    std::vector<BytesByText> items;  // [table] label as written → its item
    std::vector<std::unique_ptr<io::LabelCache>> matchers;  // [table], made when first used

    void reset(std::uint64_t writer, std::size_t tables) {
      owner = writer;
      bytes = 0;
      cells.assign(tables, {});
      items.assign(tables, {});
      matchers.clear();
      matchers.resize(tables);
    }
  };
  static constexpr std::size_t kLabelCacheBytes = std::size_t{8} << 20;
  static ThreadCache& thread_cache() {
    thread_local ThreadCache cache;
    return cache;
  }

  // The items of a cell from the items of its labels: the labels as the record decoder
  // reads them (its cache of runs spares normalising them again), each label's item
  // written once by match_labels() over the label alone. False when that does not give
  // the label back with the same rows; the caller then matches the whole cell.
  bool labels_by_item(ThreadCache& cache, std::uint32_t table, std::string_view cell,
                      std::string& out) const {
    auto& matcher = cache.matchers[table];
    if (!matcher) matcher = std::make_unique<io::LabelCache>(g_.tables[table]);
    BytesByText& items = cache.items[table];
    bool first = true;
    for (const auto& label : matcher->labels(cell)) {
      if (!first) out += ',';
      first = false;
      if (label.rows == nullptr) {
        write_unknown(out, label.raw);
        continue;
      }
      auto it = items.find(label.raw);
      if (it == items.end()) {
        const auto matches = io::match_labels(g_.tables[table], label.raw);
        if (matches.size() != 1 || matches[0].raw != label.raw || matches[0].rows != *label.rows)
          return false;
        std::string item;
        write_item(item, table, matches[0]);
        cache.bytes += label.raw.size() + item.size();
        it = items.emplace(std::string(label.raw), std::move(item)).first;
      }
      out += it->second;
    }
    return true;
  }

  // The `libelles` items of a cell, by matching it whole.
  void write_labels(std::string& out, std::uint32_t table, std::string_view cell) const {
    bool first = true;
    for (const auto& m : io::match_labels(g_.tables[table], cell)) {
      if (!first) out += ',';
      first = false;
      write_item(out, table, m);
    }
  }

  // {"brut":…,"statut":"inconnu"}
  static void write_unknown(std::string& out, std::string_view raw) {
    out += "{\"brut\":"sv;
    append_string(out, raw);
    out += ",\"statut\":\"inconnu\"}"sv;
  }

  // [{"alias":…,]"brut":…,"exact":…,"lignes":[…],"statut":"alias"|"nom"}
  void write_item(std::string& out, std::uint32_t table, const io::LabelMatch& m) const {
    if (m.rows.empty()) return write_unknown(out, m.raw);
    out += '{';
    if (m.by_alias) {
      out += "\"alias\":"sv;
      append_string(out, m.spelling);
      out += ',';
    }
    out += "\"brut\":"sv;
    append_string(out, m.raw);
    out += ",\"exact\":"sv;
    append_bool(out, m.exact);
    out += ",\"lignes\":["sv;
    for (std::size_t r = 0; r < m.rows.size(); ++r) {
      if (r > 0) out += ',';
      put_row(out, table, m.rows[r]);
    }
    out += m.by_alias ? "],\"statut\":\"alias\"}"sv : "],\"statut\":\"nom\"}"sv;
  }

  // A constant part: its precomputed bytes, or made now (`f` null or lazy).
  template <class Make>
  static void put(ByteBuffer& out, const Fragment* f, Make&& make) {
    if (f != nullptr && !f->lazy) {
      out += f->bytes;
      return;
    }
    std::string bytes;
    make(bytes);
    out += bytes;
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
  Fragment regles_, dossier_head_;
  std::vector<Fragment> node_opens_;
  std::vector<std::array<Fragment, 2>> node_closes_;  // [node][value]
  std::vector<std::string> one_lines_;
  std::vector<Fragment> escaped_one_lines_;            // one_lines_ inside a JSON string
  std::vector<std::vector<Fragment>> escaped_labels_;  // [enum][value] label, as escaped_one_lines_
  std::vector<std::vector<Fragment>> escaped_keys_;    // [table][row] key, as escaped_one_lines_
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
           ByteBuffer& out, ByteBuffer& scratch)
      : p_(parts), g_(parts.graph()), in_(in), record_(record), out_(out), scratch_(scratch) {}

  // {"decisions":[…],"dossier":{…},"regles":{…},"schema":…,"tables":[…]}
  void write(const ExplainContext& context) {
    out_ += "{\"decisions\":["sv;
    for (std::uint32_t d = 0; d < g_.decisions.size(); ++d) {
      if (d > 0) out_ += ',';
      decision(d);
    }
    out_ += "],\"dossier\":"sv;
    p_.put_dossier_head(out_);
    append_string(out_, context.campaign);
    const bool has_id = !g_.schema.fields.empty();
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

  // {"applique":…,["condition_en_echec"|"conditions":…,]"regle":…}: explain_rule().
  void rule(std::uint32_t decision, std::int32_t index) {
    const graph::Decision& d = g_.decisions[decision];
    const graph::Rule& r =
        index == kFallbackRule ? *d.fallback : d.rules[static_cast<std::size_t>(index)];
    const bool conditional = index != kFallbackRule && r.condition != graph::kNoNode;
    const bool applies = !conditional || in_.evaluate(r.condition).boolean;
    out_ += "{\"applique\":"sv;
    append_bool(out_, applies);
    if (conditional) {
      out_ += applies ? ",\"conditions\":"sv : ",\"condition_en_echec\":"sv;
      condition(r.condition, applies ? Mode::Full : Mode::Failure, applies);
    }
    out_ += ",\"regle\":"sv;
    p_.put_rule(out_, decision, index);
    out_ += '}';
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
    append_string(out_, scratch_.view());
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
        append_string(out_, scratch_.view());
        out_ += ",\"regle\":"sv;
        p_.put_rule(out_, index, static_cast<std::int32_t>(i));
        out_ += ",\"valeur\":"sv;
        scratch_.clear();
        p_.formatted(scratch_, d.type.element(), result);
        append_string(out_, scratch_.view());
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
    p_.formatted(scratch_, d.type, outcome.value);
    append_string(out_, scratch_.view());
    out_ += '}';
  }

  // ---- condition trees

  void condition(NodeId id, Mode mode) { condition(id, mode, in_.evaluate(id).boolean); }

  // `value`: the node's value (the caller has it already).
  void condition(NodeId id, Mode mode, bool value) {
    p_.put_node_open(out_, id);
    const NodeId body = p_.body_of(id);
    const graph::Node& b = g_.nodes[body];
    if (b.op == Op::And || b.op == Op::Or) {
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
    } else if (b.op == Op::Not) {
      condition(b.a, Mode::Full);
    } else if (b.op == Op::Let) {
      condition(body, mode, value);
    } else {  // the node's open and close parts hold the quotes of its `detail`
      const std::size_t start = out_.size();
      EscapedSink escaped{out_, scratch_};
      detail(escaped, body, value);
      if (escaped.failed) {  // not UTF-8: the sentence whole, so that dump()'s error is raised
        out_.truncate(start);
        scratch_.clear();
        RawSink<ByteBuffer> raw{scratch_};
        detail(raw, body, value);
        append_escaped(out_, scratch_.view());
      }
    }
    p_.put_node_close(out_, id, value);
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

  // ---- details: a French sentence with the values the rules saw (into a sink)

  // The node's source on one line.
  template <class Sink>
  void one_line(Sink& s, NodeId id) {
    if constexpr (Sink::kEscaped) {
      if (!p_.put_escaped_one_line(s.out, id)) s.failed = true;
    } else {
      p_.put_one_line(s.out, id);
    }
  }

  // An operand as written, with its value unless it is a constant.
  template <class Sink>
  void operand(Sink& s, NodeId id, const Value& v) {
    const graph::Node& n = g_.nodes[id];
    if (n.op != Op::Const) {
      one_line(s, id);
      s.lit(" = "sv);
    }
    p_.display(s, n.type, v);
  }
  template <class Sink>
  void operand(Sink& s, NodeId id) {
    operand(s, id, in_.evaluate(id));
  }

  // The right-hand side: its value, then its name if it is not a constant.
  template <class Sink>
  void reference(Sink& s, NodeId id) {
    reference(s, id, in_.evaluate(id));
  }
  template <class Sink>
  void reference(Sink& s, NodeId id, const Value& v) {
    const graph::Node& n = g_.nodes[id];
    p_.display(s, n.type, v);
    if (n.op == Op::Const) return;
    s.lit(" ("sv);
    one_line(s, id);
    s.lit(')');
  }

  template <class Sink>
  void not_filled(Sink& s, NodeId id) {
    one_line(s, id);
    s.lit(kNotFilled);
  }

  template <class Sink>
  void detail(Sink& s, NodeId id, bool value) {
    const graph::Node& n = g_.nodes[id];
    switch (n.op) {
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge: {
        const Value lhs = in_.evaluate(n.a);
        if (!lhs.present) return not_filled(s, n.a);
        const Value rhs = in_.evaluate(n.b);
        if (!rhs.present) return not_filled(s, n.b);
        // An equality reads best as the value, and what was expected when it fails.
        if (n.op == Op::Eq && g_.nodes[n.b].op == Op::Const) {
          operand(s, n.a, lhs);
          if (!value) {
            s.lit(" (attendu : "sv);
            reference(s, n.b, rhs);
            s.lit(')');
          }
          return;
        }
        operand(s, n.a, lhs);
        s.lit(' ');
        s.lit(relation(n.op, value));
        s.lit(' ');
        reference(s, n.b, rhs);
        return;
      }
      case Op::In:
      case Op::NotIn: {
        const Value item = in_.evaluate(n.a);
        if (!item.present) return not_filled(s, n.a);
        const Value set = in_.evaluate(n.b);
        operand(s, n.a, item);
        s.lit(set.has_bit(item.id) ? " ∈ "sv : " ∉ "sv);
        reference(s, n.b, set);
        return;
      }
      case Op::Contains:
        operand(s, n.a);
        s.lit(value ? " contient "sv : " ne contient pas "sv);
        reference(s, n.b);
        return;
      case Op::IsSet:
      case Op::IsNotSet: {
        const Value v = in_.evaluate(n.a);
        if (!v.present) return not_filled(s, n.a);
        operand(s, n.a, v);
        s.lit(" est renseigné"sv);
      }
        return;
      case Op::IsEmpty:
      case Op::IsNotEmpty: {
        const bool empty = n.op == Op::IsEmpty ? value : !value;
        operand(s, n.a);
        s.lit(empty ? " est vide"sv : " n'est pas vide"sv);
        return;
      }
      case Op::Field:
        return operand(s, id);
      default:
        one_line(s, id);
        s.lit(value ? " : vrai"sv : " : faux"sv);
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
    p_.put_labels(out_, table, text::trim(record_.raw[field]));
    p_.put_field_tail(out_, field);
  }

  const ExplanationWriter::Parts& p_;
  const graph::RuleGraph& g_;
  Interpreter& in_;
  const Record& record_;
  ByteBuffer& out_;
  ByteBuffer& scratch_;  // a detail or a value, before it is escaped into out_
};

}  // namespace

void ExplanationWriter::Parts::document(std::string& out, Interpreter& in, const Record& record,
                                        const ExplainContext& context, bool newline) const {
  // Written aside, then appended at once: `out` is left as it was when writing throws.
  // The capacity of both buffers is kept from one document to the next.
  thread_local ByteBuffer bytes;
  thread_local ByteBuffer scratch;
  bytes.clear();
  Document(*this, in, record, bytes, scratch).write(context);
  if (newline) bytes += '\n';
  out += bytes.view();
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
  parts_->document(out, interpreter, record, context, true);
}

void ExplanationWriter::append_document(std::string& out, Interpreter& interpreter,
                                        const Record& record, const ExplainContext& context) const {
  parts_->document(out, interpreter, record, context, false);
}

json explain(const graph::RuleGraph& graph, Interpreter& interpreter, const Record& record,
             const ExplainContext& context) {
  // One document: its constant parts are written as it uses them.
  std::string bytes;
  ExplanationWriter::Parts(graph, false).document(bytes, interpreter, record, context, false);
  return json::parse(bytes);
}

json explain_rule(const graph::RuleGraph& graph, Interpreter& interpreter, const Record& record,
                  std::uint32_t decision, std::int32_t rule) {
  ByteBuffer bytes;
  ByteBuffer scratch;
  const ExplanationWriter::Parts parts(graph, false);
  Document(parts, interpreter, record, bytes, scratch).rule(decision, rule);
  return json::parse(bytes.view());
}

void append_rejection_jsonl(std::string& out, std::string_view campaign, std::string_view id,
                            std::size_t line, const std::vector<std::string>& reasons) {
  // A row is rejected for bytes that are not UTF-8 too, in its identifier as anywhere:
  // its texts are made valid (U+FFFD for stray bytes) rather than fail the whole run.
  const std::size_t size = out.size();
  try {
    out += "{\"dossier\":{\"fichier\":"sv;
    append_string(out, campaign);
    out += ",\"id\":"sv;
    append_string(out, text::valid_utf8(id));
    out += ",\"ligne\":"sv;
    append_uint(out, line);
    out += "},\"rejet\":["sv;
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      if (i > 0) out += ',';
      append_string(out, text::valid_utf8(reasons[i]));
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

}  // namespace tamis::runtime
