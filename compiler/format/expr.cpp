#include "compiler/format/expr.hpp"

#include <stdexcept>

#include "compiler/format/spelling.hpp"
#include "support/lang.hpp"

namespace tamis::format {
namespace {

// Binding strength, tighter is higher (the order of the alternatives of `expr`).
enum Level : int {
  kNone = 0,
  kOr = 1,
  kAnd = 2,
  kNot = 3,
  kMembership = 4,
  kCompare = 5,
  kDefault = 6,
  kAdd = 7,
  kMul = 8,
  kNegate = 9,
  kTest = 10,
  kMember = 11,
};

int binary_level(const Token& t) {
  if (t.kind == TokKind::Keyword) {
    switch (t.kw) {
      case Kw::Or:
        return kOr;
      case Kw::And:
        return kAnd;
      case Kw::In:
      case Kw::NotIn:
      case Kw::Contains:
        return kMembership;
      case Kw::Default:
        return kDefault;
      default:
        return kNone;
    }
  }
  if (t.kind != TokKind::Punct) return kNone;
  static const std::vector<std::string> compare = {"=", "≠",  "!=", "<>", "<",
                                                   "≤", "<=", ">",  "≥",  ">="};
  for (const auto& op : compare) {
    if (t.text == op) return kCompare;
  }
  if (t.text == "+" || t.text == "-") return kAdd;
  if (t.text == "*" || t.text == "/") return kMul;
  return kNone;
}

bool is_test(const Token& t) {
  return t.kind == TokKind::Keyword && (t.kw == Kw::IsSet || t.kw == Kw::IsNotSet ||
                                        t.kw == Kw::IsEmpty || t.kw == Kw::IsNotEmpty);
}

bool is_literal_token(const Token& t) {
  switch (t.kind) {
    case TokKind::Integer:
    case TokKind::Decimal:
    case TokKind::String:
    case TokKind::Date:
      return true;
    case TokKind::Keyword:
      return t.kw == Kw::True || t.kw == Kw::False || t.kw == Kw::Not;
    default:
      return false;
  }
}

bool starts_expr(const Token& t) {
  if (is_literal_token(t) || t.kind == TokKind::Ident) return true;
  return t.kind == TokKind::Punct && (t.text == "{" || t.text == "(" || t.text == "-");
}

class Parser {
 public:
  // `output_column`: the expression is the value of a `sortie` column, after which
  // the next column follows without a separator.
  Parser(Cursor& c, bool output_column) : c_(c), output_column_(output_column) {}

  Expr expr(int min_level) {
    Expr lhs = unary();
    while (true) {
      const Token& t = c_.peek();
      if (t.kind == TokKind::Punct && t.text == "." && kMember >= min_level) {
        Expr e;
        e.kind = Expr::Kind::Member;
        e.first = lhs.first;
        e.tokens.push_back(c_.take());
        e.tokens.push_back(c_.take(TokKind::Ident));
        e.last = e.tokens.back();
        e.args.push_back(std::move(lhs));
        lhs = std::move(e);
        continue;
      }
      if (is_test(t) && kTest >= min_level) {
        Expr e;
        e.kind = Expr::Kind::Postfix;
        e.first = lhs.first;
        e.tokens.push_back(c_.take());
        e.last = e.tokens.back();
        e.args.push_back(std::move(lhs));
        lhs = std::move(e);
        continue;
      }
      const int level = binary_level(t);
      if (level == kNone || level < min_level) break;
      Expr e;
      e.first = lhs.first;
      e.args.push_back(std::move(lhs));
      if (level == kOr || level == kAnd) {
        // Chains are n-ary, and read without recursing on their length.
        e.kind = Expr::Kind::Chain;
        const Kw kw = t.kw;
        while (c_.at_kw(kw)) {
          e.tokens.push_back(c_.take());
          e.args.push_back(expr(level + 1));
        }
      } else {
        e.kind = Expr::Kind::Binary;
        e.tokens.push_back(c_.take());
        e.args.push_back(expr(level + 1));
      }
      e.last = e.args.back().last;
      lhs = std::move(e);
    }
    return lhs;
  }

 private:
  Expr unary() {
    const Token& t = c_.peek();
    const bool negate = t.kind == TokKind::Punct && t.text == "-";
    const bool negation = t.kind == TokKind::Keyword && t.kw == Kw::Not &&
                          starts_expr(c_.peek(1)) && !starts_next_column(1);
    if (negate || negation) {
      Expr e;
      e.kind = Expr::Kind::Prefix;
      e.first = c_.take();
      e.tokens.push_back(e.first);
      e.args.push_back(expr(negate ? kNegate : kNot));
      e.last = e.args.back().last;
      return e;
    }
    return primary();
  }

  // Whether the tokens from `ahead` on are the next `sortie` column (`"x" =`, `x =`):
  // a `non` before them is then the boolean false, as the parser reads it
  // (compiler/syntax/token_passes.cpp, read_bare_non).
  bool starts_next_column(std::size_t ahead) const {
    if (!output_column_ || brackets_ > 0) return false;
    const Token& t = c_.peek(ahead);
    return (t.kind == TokKind::String || t.kind == TokKind::Ident) && c_.at_punct("=", ahead + 1);
  }

  Expr primary() {
    Expr e;
    const Token& t = c_.peek();
    if (t.kind == TokKind::Punct && (t.text == "{" || t.text == "(")) {
      const bool set = t.text == "{";
      e.kind = set ? Expr::Kind::Set : Expr::Kind::Paren;
      e.first = c_.take();
      e.tokens.push_back(e.first);
      const char* close = set ? "}" : ")";
      ++brackets_;
      if (set) {
        list(e, close);
      } else {
        e.args.push_back(expr(kNone + 1));
      }
      --brackets_;
      e.tokens.push_back(c_.take_punct(close));
      e.last = e.tokens.back();
      return e;
    }
    if (t.kind == TokKind::Ident && c_.at_punct("(", 1)) {
      e.kind = Expr::Kind::Call;
      e.first = c_.take();
      e.tokens.push_back(e.first);
      e.tokens.push_back(c_.take());
      ++brackets_;
      list(e, ")");
      --brackets_;
      e.tokens.push_back(c_.take_punct(")"));
      e.last = e.tokens.back();
      return e;
    }
    if (is_literal_token(t) || t.kind == TokKind::Ident) {
      e.kind = Expr::Kind::Atom;
      e.first = e.last = c_.take();
      return e;
    }
    throw std::runtime_error(
        tr("expression attendue ligne {}", "expression expected line {}", t.line));
  }

  void list(Expr& e, const char* close) {
    if (c_.at_punct(close)) return;
    e.args.push_back(expr(kNone + 1));
    while (c_.at_punct(",")) {
      e.commas.push_back(c_.take());
      e.args.push_back(expr(kNone + 1));
    }
  }

  Cursor& c_;
  const bool output_column_;
  int brackets_ = 0;  // brackets open around the token being read
};

// The argument and the comma after it.
Doc with_comma(Cursor& c, const Expr& e, std::size_t i) {
  Doc d = expr_doc(c, e.args[i]);
  if (i < e.commas.size()) return cat({std::move(d), c.tok(e.commas[i])});
  return d;
}

// A bracket closing a group: its trailing comments go after the group, so that a
// comment at the end of the line does not break the set before it.
Doc closed(Cursor& c, std::size_t close, Doc inside) {
  c.hold_trailing(close);
  return cat({std::move(inside), c.trailing(close)});
}

}  // namespace

Expr parse_expr(Cursor& c) {
  return Parser(c, false).expr(kNone + 1);
}

Expr parse_output_value(Cursor& c) {
  return Parser(c, true).expr(kNone + 1);
}

bool is_simple_value(const Cursor& c, const Expr& e) {
  for (std::size_t i = e.first; i <= e.last; ++i) {
    if (c.has_leading(i)) return false;  // a comment on its own line inside: not simple
  }
  if (e.kind == Expr::Kind::Set) return true;
  if (e.kind == Expr::Kind::Prefix && c.token(e.first).text == "-") {
    return e.args[0].kind == Expr::Kind::Atom && is_literal_token(c.token(e.args[0].first));
  }
  return e.kind == Expr::Kind::Atom && is_literal_token(c.token(e.first));
}

Doc expr_doc(Cursor& c, const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::Atom:
      return c.tok(e.first);
    case Expr::Kind::Set: {
      const std::size_t close = e.tokens[1];
      if (e.args.empty()) return cat({c.tok(e.tokens[0]), c.tok(close)});
      c.hold_trailing(close);
      std::vector<Doc> items;
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) items.push_back(line());
        items.push_back(with_comma(c, e, i));
      }
      Doc body =
          group(cat({c.tok(e.tokens[0]), nest(kIndent, cat({softline(), fill(std::move(items))})),
                     softline(), c.tok(close)}));
      return closed(c, close, std::move(body));
    }
    case Expr::Kind::Paren: {
      const std::size_t close = e.tokens[1];
      c.hold_trailing(close);
      Doc body = cat({c.tok(e.tokens[0]), nest(1, expr_doc(c, e.args[0])), c.tok(close)});
      return closed(c, close, std::move(body));
    }
    case Expr::Kind::Call: {
      Doc d = cat({c.tok_as(e.tokens[0], canonical_function_name(c.token(e.tokens[0]).text)),
                   c.tok(e.tokens[1])});
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i > 0) append(d, space());
        append(d, with_comma(c, e, i));
      }
      append(d, c.tok(e.tokens[2]));
      return d;
    }
    case Expr::Kind::Member:
      return cat({expr_doc(c, e.args[0]), c.tok(e.tokens[0]), c.tok(e.tokens[1])});
    case Expr::Kind::Postfix:
      return cat({expr_doc(c, e.args[0]), space(), c.tok(e.tokens[0])});
    case Expr::Kind::Prefix: {
      const bool minus = c.token(e.tokens[0]).text == "-";
      Doc op = c.tok(e.tokens[0]);
      if (minus) return cat({std::move(op), expr_doc(c, e.args[0])});
      return cat({std::move(op), space(), expr_doc(c, e.args[0])});
    }
    case Expr::Kind::Binary:
      return cat(
          {expr_doc(c, e.args[0]), space(), c.tok(e.tokens[0]), space(), expr_doc(c, e.args[1])});
    case Expr::Kind::Chain: {
      // Broken before each operator, all or none, operands under one another;
      // a nested chain or a parenthesis breaks inside its own indentation.
      const auto inner = [](const Expr& x) {
        return x.kind == Expr::Kind::Chain || x.kind == Expr::Kind::Paren;
      };
      Doc d;
      append(d, nest(e.args[0].kind == Expr::Kind::Chain ? kIndent : 0, expr_doc(c, e.args[0])));
      for (std::size_t i = 1; i < e.args.size(); ++i) {
        append(d, line());
        append(d, c.tok(e.tokens[i - 1]));
        append(d, space());
        append(d, nest(inner(e.args[i]) ? 3 : 0, expr_doc(c, e.args[i])));
      }
      return group(std::move(d));
    }
  }
  return {};
}

}  // namespace tamis::format
