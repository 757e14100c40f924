#pragma once
// The rule graph: what the compiler hands to the runtime. Types are resolved,
// names are indices, tables are data, and expressions are a flat array of typed
// nodes in topological order (every node's operands come before it). Each node
// keeps its source range so explanations can quote the rule text.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "support/source.hpp"

namespace tamis::graph {

using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;

enum class Base : std::uint8_t { Boolean, Integer, Decimal, Text, Date, Enum, Row, Error };

struct Type {
  Base base = Base::Error;
  bool optional = false;  // the value may be missing (an empty cell)
  bool set = false;       // a set of `base` values
  std::uint32_t ref = 0;  // enum or table index for Enum / Row

  bool operator==(const Type&) const = default;
  Type element() const { return {base, false, false, ref}; }
  Type required() const { return {base, false, set, ref}; }
  bool is_error() const { return base == Base::Error; }
  bool numeric() const { return base == Base::Integer || base == Base::Decimal; }
};

// A runtime value. Text points into the input record or the graph's storage;
// sets of enum values or table rows are bitsets; sets of text are arrays of views.
struct Value {
  bool present = false;
  std::uint32_t size = 0;  // bytes of text, words of a bitset, items of a text set
  union {
    bool boolean;
    std::int64_t integer;
    std::int64_t decimal;  // millionths: support/decimal.hpp
    std::int32_t date;     // days since 1970-01-01
    std::uint32_t id;      // enum value index or table row index
    const char* text;
    const std::uint64_t* words;
    const std::string_view* texts;
  };

  Value() : integer(0) {}
  static Value missing() { return {}; }
  static Value of_bool(bool b) {
    Value v;
    v.present = true;
    v.boolean = b;
    return v;
  }
  static Value of_integer(std::int64_t i) {
    Value v;
    v.present = true;
    v.integer = i;
    return v;
  }
  static Value of_decimal(std::int64_t millionths) {
    Value v;
    v.present = true;
    v.decimal = millionths;
    return v;
  }
  static Value of_date(std::int32_t d) {
    Value v;
    v.present = true;
    v.date = d;
    return v;
  }
  static Value of_id(std::uint32_t id) {
    Value v;
    v.present = true;
    v.id = id;
    return v;
  }
  static Value of_text(std::string_view s) {
    Value v;
    v.present = true;
    v.text = s.data();
    v.size = static_cast<std::uint32_t>(s.size());
    return v;
  }
  static Value of_words(const std::uint64_t* w, std::uint32_t count) {
    Value v;
    v.present = true;
    v.words = w;
    v.size = count;
    return v;
  }
  static Value of_texts(const std::string_view* t, std::uint32_t count) {
    Value v;
    v.present = true;
    v.texts = t;
    v.size = count;
    return v;
  }
  std::string_view as_text() const { return {text, size}; }
  bool has_bit(std::uint32_t i) const {
    const std::uint32_t w = i / 64;
    return w < size && ((words[w] >> (i % 64)) & 1U) != 0;
  }
};

inline std::uint32_t words_for(std::size_t bits) {
  return static_cast<std::uint32_t>((bits + 63) / 64);
}

struct EnumValue {
  std::string name;   // identifier used in rules and in result files: a_remonter
  std::string label;  // how exports and reports spell it: "À remonter COP 2024"
  std::string code;   // how result files write it: the name unless the author gave a code
  std::vector<std::string> aliases;
  SourceRange range;
};

struct Enum {
  std::string name;
  std::vector<EnumValue> values;
  // normalize_label(name | label | alias) → value index
  std::unordered_map<std::string, std::uint32_t> by_label;
  SourceRange range;
};

struct Column {
  std::string name;
  Type type;
};

struct Row {
  std::string key;  // canonical label
  std::vector<std::string> aliases;
  std::vector<Value> cells;  // one per column
  SourceRange range;
};

struct Table {
  std::string name;
  std::vector<Column> columns;
  std::vector<Row> rows;
  // normalize_label(key | alias) → rows. An alias may name several rows on purpose
  // ("Report modal" stands for both "Vélo" and "Transports en commun").
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_label;
  std::size_t longest_label_pieces = 1;  // most text::split_choices pieces in a key or alias
  SourceRange range;
};

struct Field {
  std::string name;
  Type type;
  std::string column;  // header label in the campaign export
  SourceRange range;
};

struct Schema {
  std::string name;
  std::vector<Field> fields;
  SourceRange range;
};

enum class Op : std::uint8_t {
  Const,     // a = constant index
  Field,     // a = field index
  Let,       // a = let index
  Decision,  // a = decision index: the decided value
  RuleName,  // a = decision index: name of the rule that decided
  Unknowns,  // a = field index: labels of a set-of-row field that matched no row
  Label,     // a = operand (enum value): its label
  Count,     // a = operand (set): number of members
  Not,
  Negate,
  IsSet,
  IsNotSet,
  IsEmpty,
  IsNotEmpty,
  And,  // args
  Or,   // args
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  In,  // a in b (b a set)
  NotIn,
  Contains,  // a contains b (a a set)
  Add,
  Sub,
  Mul,
  Div,
  Default,      // a if present, else b
  ToDecimal,    // a (an integer) as a decimal, where a decimal is expected
  SetOf,        // args: build a set of enum values / rows
  Member,       // a = row operand, b = column index
  MemberOfSet,  // a = set-of-rows operand, b = column index: union / collection
};

struct Node {
  Op op = Op::Const;
  Type type;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::uint32_t first_arg = 0;  // into RuleGraph::args, for And/Or/SetOf
  std::uint32_t arg_count = 0;
  SourceRange range;
};

struct Let {
  std::string name;
  std::string label;  // what it means in words, if the author said it
  Type type;
  NodeId root = kNoNode;
  SourceRange range;
};

enum class HitPolicy { First, Unique, Collect };

struct Rule {
  std::string name;
  NodeId condition = kNoNode;  // kNoNode for the fallback
  NodeId result = kNoNode;
  std::string reason;
  SourceRange range;
};

struct Decision {
  std::string name;
  Type type;  // for Collect: a set of the rules' result type
  HitPolicy policy = HitPolicy::First;
  std::vector<Rule> rules;
  std::optional<Rule> fallback;
  SourceRange range;
};

struct OutputColumn {
  std::string name;
  NodeId node = kNoNode;
};

// A count of dossiers by the values of one or two expressions (enum values, table
// rows or texts; a set counts the dossier once under each member).
struct Summary {
  std::string title;
  NodeId rows = kNoNode;
  NodeId columns = kNoNode;    // kNoNode: one column of totals
  NodeId condition = kNoNode;  // kNoNode: every classified dossier
  SourceRange range;
};

// A test beside the rules (`test "…" { … }`): cells of a partial dossier and
// what the rules must make of it.
struct Expectation {
  enum class Kind { Decision, Let, Field, Output };
  Kind kind = Kind::Decision;
  std::uint32_t index = 0;  // decision, let, field or output index
  NodeId value = kNoNode;   // expected value (not for outputs)
  std::string text;         // expected output cell (outputs only)
  std::string rule;         // the rule that must decide ("" when not said)
  std::string name;         // as written in the test
  SourceRange range;
};

struct TestCase {
  std::string name;
  std::vector<std::pair<std::uint32_t, std::string>> given;  // field index → export cell
  std::vector<Expectation> expected;
  SourceRange range;
};

struct RuleGraph {
  std::string name;
  std::string version;
  // SHA-256 over the sorted "file hash" lines of every rule file (ancestors
  // included): identifies exactly which rules produced a result.
  std::string fingerprint;
  // Each rule file's path relative to the compiled folder, and its SHA-256.
  std::vector<std::pair<std::string, std::string>> file_hashes;
  std::shared_ptr<const SourceSet> sources;

  Schema schema;
  std::vector<Enum> enums;
  std::vector<Table> tables;
  std::vector<Node> nodes;
  std::vector<NodeId> args;
  std::vector<Value> constants;
  std::vector<Let> lets;
  std::vector<Decision> decisions;
  std::vector<OutputColumn> outputs;
  std::vector<Summary> summaries;
  std::vector<TestCase> tests;

  // Backing store of constant texts and sets (stable addresses).
  std::deque<std::string> text_storage;
  std::deque<std::vector<std::uint64_t>> set_storage;
  std::deque<std::vector<std::string_view>> text_set_storage;

  const Node& node(NodeId id) const { return nodes[id]; }
};

// "texte", "ensemble de Levier", "date?" — a type as rule authors write it.
std::string type_name(const RuleGraph& graph, const Type& type);

// Whether operand `a` / `b` of a node of `op` names another node (else an index, or
// unused), and whether the node has a list of arguments (RuleGraph::args).
bool a_is_node(Op op);
bool b_is_node(Op op);
bool has_args(Op op);

// The nodes `node` reads directly, in order: `a` and `b` when they name nodes, and the
// arguments of And, Or and SetOf (not a Let's body, not a decision's rules).
std::vector<NodeId> operands(const RuleGraph& graph, const Node& node);

// Which nodes can have another value from one dossier to another: those that read a
// field, a decision, or a definition that does, directly or not. A definition whose root
// is false here is a constant of the rules (`soit horizon = 2025-12-31`).
std::vector<bool> dossier_dependent_nodes(const RuleGraph& graph);

}  // namespace tamis::graph
