#pragma once
// The Tamis abstract syntax tree: what a rule file says, with the source range of
// every piece, and nothing of ANTLR. Built by compiler/syntax/ast_builder.cpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/source.hpp"

namespace tamis::ast {

struct Name {
  std::string text;
  SourceRange range;
};

struct TypeRef {
  Name name;  // "texte", "Maturite", …; for sets, the element type
  bool optional = false;
  bool set = false;
  SourceRange range;
};

struct Literal {
  enum class Kind { Integer, Decimal, Text, Date, Boolean };
  Kind kind = Kind::Integer;
  std::string text;  // unescaped text for Text; source spelling otherwise
  std::int64_t integer = 0;
  std::int64_t decimal = 0;  // millionths (support/decimal.hpp)
  std::int32_t date = 0;     // days since 1970-01-01
  bool boolean = false;
};

enum class ExprKind {
  Literal,
  Name,        // name
  Member,      // args[0] . name
  Call,        // name(args…)
  SetLiteral,  // {args…}
  Unary,       // unary_op args[0]
  Binary,      // args[0] binary_op args[1]
  And,         // args… (n-ary: chains are flattened, never deeply nested)
  Or,
};

enum class UnaryOp { Not, Negate, IsSet, IsNotSet, IsEmpty, IsNotEmpty };
enum class BinaryOp { Eq, Ne, Lt, Le, Gt, Ge, In, NotIn, Contains, Add, Sub, Mul, Div, Default };

struct Expr {
  ExprKind kind = ExprKind::Literal;
  SourceRange range;
  Literal literal;
  Name name;
  UnaryOp unary_op = UnaryOp::Not;
  BinaryOp binary_op = BinaryOp::Eq;
  SourceRange op_range;  // the operator token, for messages about it
  std::vector<std::unique_ptr<Expr>> args;
};
using ExprPtr = std::unique_ptr<Expr>;

// How a declaration of a child rule set relates to its parent's.
enum class Change {
  Declare,  // a new declaration (a warning if it silently shadows the parent's)
  Replace,  // remplace: replaces the parent's declaration of that name
  Extend,   // complète: adds to the parent's declaration of that name
  Remove,   // retire: removes the parent's rule or row of that name
};

struct RuleSetDecl {
  std::string name;
  std::string version;
  std::optional<Name> parent;  // étend "../cop2024": folder, relative to this one
  SourceRange range;
};

struct EnumValueDecl {
  Name name;
  std::optional<std::string> label;  // how exports and reports spell it
  std::optional<Name> code;          // how result files write it (default: the name)
  std::vector<Name> aliases;
  SourceRange range;
};

struct EnumDecl {
  Change change = Change::Declare;
  Name name;
  std::vector<EnumValueDecl> values;
  SourceRange range;
};

struct FieldDecl {
  Name name;
  TypeRef type;
  Name column;  // header label in the campaign export
  SourceRange range;
};

struct SchemaDecl {
  Change change = Change::Declare;
  Name name;
  std::vector<FieldDecl> fields;
  SourceRange range;
};

struct ColumnDecl {
  Name name;
  TypeRef type;
};

struct Cell {
  enum class Kind { Empty, Literal, Set };
  Kind kind = Kind::Empty;
  Literal literal;
  std::vector<Name> items;          // set members: identifiers or labels
  std::vector<bool> item_is_label;  // parallel to items: true for "quoted" labels
  SourceRange range;
};

struct TableRow {
  Change change = Change::Declare;  // Replace or Remove inside `complète table`
  Name key;
  std::vector<Name> aliases;
  std::vector<Cell> cells;
  SourceRange range;
};

struct TableDecl {
  Change change = Change::Declare;
  Name name;
  std::vector<ColumnDecl> columns;
  std::vector<TableRow> rows;
  SourceRange range;
};

struct LetDecl {
  Change change = Change::Declare;
  Name name;
  std::string label;  // soit nom "libellé" = …: what it means, in words
  std::optional<TypeRef> type;
  ExprPtr value;
  SourceRange range;
};

enum class HitPolicy { First, Unique, Collect };

struct RuleDecl {
  Change change = Change::Declare;  // Replace or Remove inside `complète décision`
  Name name;                        // "R1 contribue et mature"
  ExprPtr condition;                // null for the fallback (sinon)
  ExprPtr result;
  std::string reason;  // parce que "…"
  SourceRange range;
};

struct DecisionDecl {
  Change change = Change::Declare;
  Name name;
  Name type;
  HitPolicy policy = HitPolicy::First;
  std::vector<RuleDecl> rules;
  std::optional<RuleDecl> fallback;
  SourceRange range;
};

struct OutputColumn {
  Name name;
  ExprPtr value;
};

struct OutputDecl {
  Change change = Change::Declare;
  std::vector<OutputColumn> columns;
  SourceRange range;
};

struct SummaryDecl {
  Name title;
  ExprPtr rows;
  ExprPtr columns;    // null: a single column of totals
  ExprPtr condition;  // null: every dossier
  SourceRange range;
};

// A test beside the rules: a partial dossier given as export cells, and what the
// rules must make of it.
struct TestGiven {
  Name field;
  std::string cell;  // the cell as an export would write it
  SourceRange range;
};

struct TestExpect {
  Name name;            // a decision, definition or field; or an output column ("quoted")
  bool output = false;  // `name` was quoted: an output column
  ExprPtr value;
  std::optional<Name> rule;  // par "R1 …": the rule that must decide
  SourceRange range;
};

struct TestDecl {
  Name name;
  std::vector<TestGiven> given;
  std::vector<TestExpect> expected;
  SourceRange range;
};

// One rule file.
struct File {
  FileId file = 0;
  std::vector<RuleSetDecl> rule_sets;
  std::vector<EnumDecl> enums;
  std::vector<SchemaDecl> schemas;
  std::vector<TableDecl> tables;
  std::vector<LetDecl> lets;
  std::vector<DecisionDecl> decisions;
  std::vector<OutputDecl> outputs;
  std::vector<SummaryDecl> summaries;
  std::vector<TestDecl> tests;
};

}  // namespace tamis::ast
