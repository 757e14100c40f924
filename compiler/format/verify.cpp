#include "compiler/format/verify.hpp"

#include <fmt/format.h>

#include <functional>
#include <vector>

#include "compiler/format/lexer.hpp"
#include "compiler/format/spelling.hpp"
#include "support/lang.hpp"

namespace tamis::format {
namespace {

bool same(const ast::Name& a, const ast::Name& b) {
  return a.text == b.text;
}

template <typename T, typename Eq>
bool same_all(const std::vector<T>& a, const std::vector<T>& b, Eq eq) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!eq(a[i], b[i])) return false;
  }
  return true;
}

template <typename T, typename Eq>
bool same_optional(const std::optional<T>& a, const std::optional<T>& b, Eq eq) {
  if (a.has_value() != b.has_value()) return false;
  return !a || eq(*a, *b);
}

bool same_names(const std::vector<ast::Name>& a, const std::vector<ast::Name>& b) {
  return same_all(a, b, [](const auto& x, const auto& y) { return same(x, y); });
}

bool same(const ast::TypeRef& a, const ast::TypeRef& b) {
  return canonical_type_name(a.name.text) == canonical_type_name(b.name.text) &&
         a.optional == b.optional && a.set == b.set;
}

bool same(const ast::Literal& a, const ast::Literal& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == ast::Literal::Kind::Boolean) return a.boolean == b.boolean;
  return a.text == b.text;
}

bool same(const ast::Expr* a, const ast::Expr* b) {
  if (a == nullptr || b == nullptr) return a == b;
  // Iterative: `et` chains can be long, and the rest is bounded by the parser.
  std::vector<std::pair<const ast::Expr*, const ast::Expr*>> stack{{a, b}};
  while (!stack.empty()) {
    auto [x, y] = stack.back();
    stack.pop_back();
    if (x == nullptr || y == nullptr) {
      if (x != y) return false;
      continue;
    }
    if (x->kind != y->kind || x->args.size() != y->args.size()) return false;
    switch (x->kind) {
      case ast::ExprKind::Literal:
        if (!same(x->literal, y->literal)) return false;
        break;
      case ast::ExprKind::Call:
        if (canonical_function_name(x->name.text) != canonical_function_name(y->name.text))
          return false;
        break;
      case ast::ExprKind::Name:
      case ast::ExprKind::Member:
        if (!same(x->name, y->name)) return false;
        break;
      case ast::ExprKind::Unary:
        if (x->unary_op != y->unary_op) return false;
        break;
      case ast::ExprKind::Binary:
        if (x->binary_op != y->binary_op) return false;
        break;
      default:
        break;
    }
    for (std::size_t i = 0; i < x->args.size(); ++i)
      stack.emplace_back(x->args[i].get(), y->args[i].get());
  }
  return true;
}

bool same(const ast::Cell& a, const ast::Cell& b) {
  return a.kind == b.kind && (a.kind != ast::Cell::Kind::Literal || same(a.literal, b.literal)) &&
         same_names(a.items, b.items) && a.item_is_label == b.item_is_label;
}

bool same(const ast::RuleDecl& a, const ast::RuleDecl& b) {
  return a.change == b.change && same(a.name, b.name) &&
         same(a.condition.get(), b.condition.get()) && same(a.result.get(), b.result.get()) &&
         a.reason == b.reason;
}

// One check per kind of declaration, with its name for the report.
struct Check {
  const char* what;
  std::function<bool(const ast::File&, const ast::File&)> same;
};

const std::vector<Check>& checks() {
  static const std::vector<Check> all = {
      {"règles",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.rule_sets, b.rule_sets, [](const auto& x, const auto& y) {
           return x.name == y.name && x.version == y.version &&
                  same_optional(x.parent, y.parent,
                                [](const auto& p, const auto& q) { return same(p, q); });
         });
       }},
      {"énumération",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.enums, b.enums, [](const auto& x, const auto& y) {
           return x.change == y.change && same(x.name, y.name) &&
                  same_all(x.values, y.values, [](const auto& v, const auto& w) {
                    return same(v.name, w.name) && v.label == w.label &&
                           same_optional(v.code, w.code,
                                         [](const auto& p, const auto& q) { return same(p, q); }) &&
                           same_names(v.aliases, w.aliases);
                  });
         });
       }},
      {"schéma",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.schemas, b.schemas, [](const auto& x, const auto& y) {
           return x.change == y.change && same(x.name, y.name) &&
                  same_all(x.fields, y.fields, [](const auto& f, const auto& g) {
                    return same(f.name, g.name) && same(f.type, g.type) && same(f.column, g.column);
                  });
         });
       }},
      {"table",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.tables, b.tables, [](const auto& x, const auto& y) {
           return x.change == y.change && same(x.name, y.name) &&
                  same_all(x.columns, y.columns,
                           [](const auto& c, const auto& d) {
                             return same(c.name, d.name) && same(c.type, d.type);
                           }) &&
                  same_all(x.rows, y.rows, [](const auto& r, const auto& s) {
                    return r.change == s.change && same(r.key, s.key) &&
                           same_names(r.aliases, s.aliases) &&
                           same_all(r.cells, s.cells,
                                    [](const auto& c, const auto& d) { return same(c, d); });
                  });
         });
       }},
      {"soit",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.lets, b.lets, [](const auto& x, const auto& y) {
           return x.change == y.change && same(x.name, y.name) && x.label == y.label &&
                  same_optional(x.type, y.type,
                                [](const auto& p, const auto& q) { return same(p, q); }) &&
                  same(x.value.get(), y.value.get());
         });
       }},
      {"décision",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.decisions, b.decisions, [](const auto& x, const auto& y) {
           return x.change == y.change && same(x.name, y.name) && same(x.type, y.type) &&
                  x.policy == y.policy &&
                  same_all(x.rules, y.rules,
                           [](const auto& r, const auto& s) { return same(r, s); }) &&
                  same_optional(x.fallback, y.fallback,
                                [](const auto& r, const auto& s) { return same(r, s); });
         });
       }},
      {"sortie",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.outputs, b.outputs, [](const auto& x, const auto& y) {
           return x.change == y.change &&
                  same_all(x.columns, y.columns, [](const auto& c, const auto& d) {
                    return same(c.name, d.name) && same(c.value.get(), d.value.get());
                  });
         });
       }},
      {"synthèse",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.summaries, b.summaries, [](const auto& x, const auto& y) {
           return same(x.title, y.title) && same(x.rows.get(), y.rows.get()) &&
                  same(x.columns.get(), y.columns.get()) &&
                  same(x.condition.get(), y.condition.get());
         });
       }},
      {"test",
       [](const ast::File& a, const ast::File& b) {
         return same_all(a.tests, b.tests, [](const auto& x, const auto& y) {
           return same(x.name, y.name) &&
                  same_all(x.given, y.given,
                           [](const auto& g, const auto& h) {
                             return same(g.field, h.field) && g.cell == h.cell;
                           }) &&
                  same_all(x.expected, y.expected, [](const auto& e, const auto& f) {
                    return same(e.name, f.name) && e.output == f.output &&
                           same(e.value.get(), f.value.get()) &&
                           same_optional(e.rule, f.rule,
                                         [](const auto& p, const auto& q) { return same(p, q); });
                  });
         });
       }},
  };
  return all;
}

std::vector<std::string> comments_of(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& t : lex(text)) {
    if (!t.is_comment()) continue;
    std::string s = t.text;
    if (t.kind == TokKind::LineComment) {
      while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

std::string compare_ast(const ast::File& before, const ast::File& after) {
  for (const auto& check : checks()) {
    if (!check.same(before, after))
      return tr("les déclarations « {} » diffèrent", "the '{}' declarations differ", check.what);
  }
  return {};
}

std::string compare_comments(std::string_view before, std::string_view after) {
  const auto a = comments_of(before);
  const auto b = comments_of(after);
  if (a == b) return {};
  return tr("commentaires différents ({} avant, {} après)", "comments differ ({} before, {} after)",
            a.size(), b.size());
}

}  // namespace tamis::format
