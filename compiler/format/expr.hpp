#pragma once
// Expressions: parsed from the tokens with the precedences of grammar/Tamis.g4,
// only to know where a long condition may break (before `et` / `ou`) and how to
// indent; the tokens themselves are printed in their order, whatever the tree.
#include <cstddef>
#include <vector>

#include "compiler/format/cursor.hpp"
#include "compiler/format/doc.hpp"

namespace tamis::format {

struct Expr {
  enum class Kind { Atom, Set, Paren, Call, Member, Postfix, Prefix, Binary, Chain };
  Kind kind = Kind::Atom;
  std::size_t first = 0;  // first and last code tokens
  std::size_t last = 0;
  std::vector<Expr> args;
  // Chain: the operators between args; Binary, Postfix, Prefix: the operator;
  // Member: `.` and the name; Set, Paren, Call: the brackets (Call: name first).
  std::vector<std::size_t> tokens;
  std::vector<std::size_t> commas;  // Set, Call: after each argument but the last
};

Expr parse_expr(Cursor& c);
// The value of a `sortie` column: a `non` followed by the next column (`"x" = non`
// then `"y" = …`) is the boolean false, not a negation of what follows.
Expr parse_output_value(Cursor& c);

// A literal, a negative number or a set, with no comment on a line of its own:
// written on the line of the `=` that defines it.
bool is_simple_value(const Cursor& c, const Expr& e);

Doc expr_doc(Cursor& c, const Expr& e);

}  // namespace tamis::format
