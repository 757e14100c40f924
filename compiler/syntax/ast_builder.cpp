// The parse tree to the AST (ast_builder.hpp).
#include "compiler/syntax/ast_builder.hpp"

#include <TamisLexer.h>

#include <algorithm>
#include <charconv>
#include <typeinfo>

#include "compiler/syntax/token_helpers.hpp"
#include "support/decimal.hpp"
#include "support/lang.hpp"
#include "support/text.hpp"

namespace tamis::syntax {
namespace {

using grammar::TamisLexer;
using grammar::TamisParser;

// dynamic_cast<T*>(ctx) for the parse tree's context classes, remembered per dynamic class:
// the answer depends only on the two classes, while libstdc++'s dynamic_cast walks the
// class hierarchy comparing class names (the converter asks for every expression node:
// about a tenth of the time of a 10,000-rule set went there).
template <typename T, typename Base>
T* context_cast(Base* ctx) {
  if (ctx == nullptr) return nullptr;
  thread_local std::vector<std::pair<const std::type_info*, bool>> known;  // one per T
  const std::type_info* dynamic = &typeid(*ctx);
  for (const auto& [type, is_t] : known) {
    if (type == dynamic) return is_t ? static_cast<T*>(ctx) : nullptr;
  }
  T* result = dynamic_cast<T*>(ctx);
  known.emplace_back(dynamic, result != nullptr);
  return result;
}

class Converter {
 public:
  Converter(FileId file, DiagnosticSink& sink, const ParseLimits& limits)
      : file_(file), sink_(sink), limits_(limits) {}

  ast::File convert(TamisParser::FileContext* ctx) {
    ast::File out;
    out.file = file_;
    for (auto* decl : ctx->declaration()) {
      if (auto* d = decl->ruleSetDecl()) out.rule_sets.push_back(rule_set(d));
      if (auto* d = decl->enumDecl()) out.enums.push_back(enum_decl(d));
      if (auto* d = decl->schemaDecl()) out.schemas.push_back(schema(d));
      if (auto* d = decl->tableDecl()) out.tables.push_back(table(d));
      if (auto* d = decl->letDecl()) out.lets.push_back(let(d));
      if (auto* d = decl->decisionDecl()) out.decisions.push_back(decision(d));
      if (auto* d = decl->outputDecl()) out.outputs.push_back(output(d));
      if (auto* d = decl->summaryDecl()) out.summaries.push_back(summary(d));
      if (auto* d = decl->testDecl()) out.tests.push_back(test(d));
    }
    return out;
  }

 private:
  SourceRange range(antlr4::ParserRuleContext* ctx) const { return context_range(file_, ctx); }
  SourceRange range(const antlr4::Token* t) const { return token_range(file_, t); }

  ast::Name name(const antlr4::Token* t) const {
    if (t == nullptr) return {};
    return {t->getText(), range(t)};
  }
  ast::Name name(antlr4::tree::TerminalNode* n) const {
    return n == nullptr ? ast::Name{} : name(n->getSymbol());
  }
  ast::Name string_name(const antlr4::Token* t) const {
    if (t == nullptr) return {};
    return {unescape(t->getText()), range(t)};
  }

  static std::string unescape(const std::string& quoted) {
    std::string out;
    if (quoted.size() < 2) return out;
    for (std::size_t i = 1; i + 1 < quoted.size(); ++i) {
      char c = quoted[i];
      if (c == '\\' && i + 2 < quoted.size()) {
        c = quoted[++i];
        if (c == 'n') c = '\n';
        if (c == 't') c = '\t';
      }
      out += c;
    }
    return out;
  }

  ast::RuleSetDecl rule_set(TamisParser::RuleSetDeclContext* ctx) {
    ast::RuleSetDecl d;
    d.name = string_name(ctx->name).text;
    if (ctx->version != nullptr) d.version = string_name(ctx->version).text;
    if (ctx->parent != nullptr) d.parent = string_name(ctx->parent);
    d.range = range(ctx);
    return d;
  }

  std::vector<ast::Name> aliases(TamisParser::AliasListContext* ctx) {
    std::vector<ast::Name> out;
    if (ctx == nullptr) return out;
    for (auto* s : ctx->STRING()) out.push_back(string_name(s->getSymbol()));
    return out;
  }

  ast::EnumDecl enum_decl(TamisParser::EnumDeclContext* ctx) {
    ast::EnumDecl d;
    if (ctx->extend != nullptr) d.change = ast::Change::Extend;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    d.name = name(ctx->name);
    d.range = range(ctx);
    for (auto* v : ctx->enumValue()) {
      ast::EnumValueDecl value;
      value.name = name(v->name);
      if (v->label != nullptr) value.label = string_name(v->label).text;
      if (v->code != nullptr) value.code = string_name(v->code);
      value.aliases = aliases(v->aliasList());
      value.range = range(v);
      d.values.push_back(std::move(value));
    }
    return d;
  }

  ast::TypeRef type_ref(TamisParser::TypeRefContext* ctx) {
    ast::TypeRef t;
    if (ctx == nullptr) return t;
    t.range = range(ctx);
    if (auto* s = context_cast<TamisParser::SetTypeContext>(ctx)) {
      t.name = name(s->elem);
      t.set = true;
    } else if (auto* n = context_cast<TamisParser::NamedTypeContext>(ctx)) {
      t.name = name(n->name);
      t.optional = n->optional != nullptr;
    }
    return t;
  }

  ast::SchemaDecl schema(TamisParser::SchemaDeclContext* ctx) {
    ast::SchemaDecl d;
    if (ctx->extend != nullptr) d.change = ast::Change::Extend;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    d.name = name(ctx->name);
    d.range = range(ctx);
    for (auto* f : ctx->fieldDecl()) {
      d.fields.push_back({name(f->name), type_ref(f->typeRef()), string_name(f->column), range(f)});
    }
    return d;
  }

  // A decimal written in a rule is taken exactly: more than 6 decimals, or a value
  // beyond the decimal range, is an error rather than a rounding the author did not see.
  void decimal_literal(ast::Literal& lit, const antlr4::Token* t) {
    if (auto v = decimal::parse(lit.text, decimal::Excess::Reject)) {
      lit.decimal = *v;
      return;
    }
    const std::size_t point = lit.text.find('.');
    if (lit.text.size() - point - 1 > decimal::kDigits) {
      sink_.error(
          "E0007", range(t),
          tr("nombre « {} » trop précis : un décimal a au plus 6 chiffres après le point",
             "number '{}' too precise: a decimal has at most 6 digits after the point", lit.text));
    } else {
      sink_.error("E0007", range(t),
                  tr("nombre trop grand « {} »", "number too large '{}'", lit.text));
    }
  }

  // A `literal` or a `valueLiteral`: one token.
  ast::Literal literal(antlr4::ParserRuleContext* ctx) {
    ast::Literal lit;
    const antlr4::Token* t = ctx->getStart();
    lit.text = t->getText();
    switch (t->getType()) {
      case TamisLexer::INTEGER: {
        lit.kind = ast::Literal::Kind::Integer;
        const auto [p, ec] =
            std::from_chars(lit.text.data(), lit.text.data() + lit.text.size(), lit.integer);
        if (ec != std::errc{} || p != lit.text.data() + lit.text.size()) {
          sink_.error("E0007", range(t),
                      tr("nombre trop grand « {} »", "number too large '{}'", lit.text));
        }
        break;
      }
      case TamisLexer::DECIMAL: {
        lit.kind = ast::Literal::Kind::Decimal;
        decimal_literal(lit, t);
        break;
      }
      case TamisLexer::STRING:
        lit.kind = ast::Literal::Kind::Text;
        lit.text = unescape(lit.text);
        break;
      case TamisLexer::DATE: {
        lit.kind = ast::Literal::Kind::Date;
        if (auto days = text::parse_date(lit.text)) {
          lit.date = *days;
        } else {
          // The lexer only accepts AAAA-MM-JJ: the day or the month does not exist.
          sink_.error("E0007", range(t),
                      tr("date invalide « {} » : cette date n'existe pas",
                         "invalid date '{}': this date does not exist", lit.text),
                      tr("une date s'écrit AAAA-MM-JJ, avec un mois de 01 à 12 et un jour qui "
                         "existe dans ce mois",
                         "a date is written YYYY-MM-DD, with a month from 01 to 12 and a day "
                         "that exists in that month"));
        }
        break;
      }
      case TamisLexer::TRUE:
        lit.kind = ast::Literal::Kind::Boolean;
        lit.boolean = true;
        break;
      default:  // FALSE, or a bare `non`
        lit.kind = ast::Literal::Kind::Boolean;
        lit.boolean = false;
        break;
    }
    return lit;
  }

  ast::TableDecl table(TamisParser::TableDeclContext* ctx) {
    ast::TableDecl d;
    d.name = name(ctx->name);
    d.range = range(ctx);
    for (auto* c : ctx->columnDecl()) d.columns.push_back({name(c->name), type_ref(c->typeRef())});
    if (ctx->extend != nullptr) d.change = ast::Change::Extend;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    for (auto* entry : ctx->tableEntry()) {
      ast::TableRow row;
      if (entry->REMOVE() != nullptr) {
        row.change = ast::Change::Remove;
        row.key = string_name(entry->key);
        row.range = range(entry);
        d.rows.push_back(std::move(row));
        continue;
      }
      if (entry->replace != nullptr) row.change = ast::Change::Replace;
      auto* r = entry->tableRow();
      row.key = string_name(r->key);
      row.aliases = aliases(r->aliasList());
      row.range = range(r);
      for (auto* c : r->cell()) {
        ast::Cell cell;
        cell.range = range(c);
        if (auto* lc = context_cast<TamisParser::LiteralCellContext>(c)) {
          cell.kind = ast::Cell::Kind::Literal;
          cell.literal = literal(lc->literal());
        } else if (auto* sc = context_cast<TamisParser::SetCellContext>(c)) {
          cell.kind = ast::Cell::Kind::Set;
          for (auto* item : sc->cellItem()) {
            const bool is_label = item->STRING() != nullptr;
            cell.items.push_back(is_label ? string_name(item->STRING()->getSymbol())
                                          : name(item->IDENT()));
            cell.item_is_label.push_back(is_label);
          }
        }
        row.cells.push_back(std::move(cell));
      }
      d.rows.push_back(std::move(row));
    }
    return d;
  }

  ast::LetDecl let(TamisParser::LetDeclContext* ctx) {
    ast::LetDecl d;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    d.name = name(ctx->name);
    if (ctx->label != nullptr) d.label = string_name(ctx->label).text;
    if (ctx->typeRef() != nullptr) d.type = type_ref(ctx->typeRef());
    d.value = expr(ctx->expr(), 0);
    d.range = range(ctx);
    return d;
  }

  ast::DecisionDecl decision(TamisParser::DecisionDeclContext* ctx) {
    ast::DecisionDecl d;
    d.name = name(ctx->name);
    if (ctx->type != nullptr) d.type = name(ctx->type);
    d.range = range(ctx);
    if (auto* p = ctx->hitPolicy()) {
      d.policy = p->UNIQUE() != nullptr    ? ast::HitPolicy::Unique
                 : p->COLLECT() != nullptr ? ast::HitPolicy::Collect
                                           : ast::HitPolicy::First;
    }
    if (ctx->extend != nullptr) d.change = ast::Change::Extend;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    for (auto* entry : ctx->decisionEntry()) {
      ast::RuleDecl rule;
      if (entry->REMOVE() != nullptr) {
        rule.change = ast::Change::Remove;
        rule.name = string_name(entry->name);
        rule.range = range(entry);
        d.rules.push_back(std::move(rule));
        continue;
      }
      if (entry->replace != nullptr) rule.change = ast::Change::Replace;
      auto* r = entry->ruleDecl();
      rule.name = string_name(r->name);
      rule.condition = expr(r->cond, 0);
      rule.result = expr(r->result, 0);
      if (r->reason() != nullptr) rule.reason = string_name(r->reason()->text).text;
      rule.range = range(r);
      d.rules.push_back(std::move(rule));
    }
    if (auto* f = ctx->fallbackDecl()) {
      ast::RuleDecl rule;
      if (f->replace != nullptr) rule.change = ast::Change::Replace;
      rule.name = f->name != nullptr ? string_name(f->name) : ast::Name{"sinon", range(f)};
      rule.result = expr(f->result, 0);
      if (f->reason() != nullptr) rule.reason = string_name(f->reason()->text).text;
      rule.range = range(f);
      d.fallback = std::move(rule);
    }
    return d;
  }

  ast::OutputDecl output(TamisParser::OutputDeclContext* ctx) {
    ast::OutputDecl d;
    if (ctx->replace != nullptr) d.change = ast::Change::Replace;
    d.range = range(ctx);
    for (auto* c : ctx->outputColumn()) {
      ast::OutputColumn col;
      col.name = c->STRING() != nullptr ? string_name(c->STRING()->getSymbol()) : name(c->IDENT());
      col.value = expr(c->expr(), 0);
      d.columns.push_back(std::move(col));
    }
    return d;
  }

  ast::SummaryDecl summary(TamisParser::SummaryDeclContext* ctx) {
    ast::SummaryDecl d;
    d.title = string_name(ctx->title);
    d.rows = expr(ctx->rows, 0);
    if (ctx->cols != nullptr) d.columns = expr(ctx->cols, 0);
    if (ctx->cond != nullptr) d.condition = expr(ctx->cond, 0);
    d.range = range(ctx);
    return d;
  }

  ast::TestDecl test(TamisParser::TestDeclContext* ctx) {
    ast::TestDecl d;
    d.name = string_name(ctx->name);
    d.range = range(ctx);
    for (auto* g : ctx->testGiven()) {
      if (g->value == nullptr) continue;  // a syntax error, already reported
      const ast::Literal lit = literal(g->value);
      // Texts are cells as written; other literals stand for their spelling (2025-12-31, 12).
      std::string cell = lit.kind == ast::Literal::Kind::Text      ? lit.text
                         : lit.kind == ast::Literal::Kind::Boolean ? (lit.boolean ? "Oui" : "Non")
                                                                   : g->value->getText();
      d.given.push_back({name(g->field), std::move(cell), range(g)});
    }
    for (auto* e : ctx->testExpect()) {
      ast::TestExpect x;
      x.output = e->STRING().size() > (e->ruleName != nullptr ? 1U : 0U);
      x.name = x.output ? string_name(e->STRING(0)->getSymbol()) : name(e->IDENT());
      x.value = expr(e->expr(), 0);
      if (e->ruleName != nullptr) x.rule = string_name(e->ruleName);
      x.range = range(e);
      d.expected.push_back(std::move(x));
    }
    return d;
  }

  // ---- expressions

  ast::ExprPtr make(ast::ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    if (ctx != nullptr) e->range = range(ctx);
    return e;
  }

  ast::ExprPtr error_expr(antlr4::ParserRuleContext* ctx) {
    auto e = make(ast::ExprKind::Literal, ctx);
    e->literal.kind = ast::Literal::Kind::Boolean;
    return e;
  }

  // Reports (once per file) an expression nested deeper than the limit; true then.
  bool too_deep(antlr4::ParserRuleContext* ctx, std::size_t depth) {
    if (depth <= 4 * limits_.max_nesting) return false;
    if (!depth_reported_) {
      sink_.error(
          "E0004", range(ctx), tr("expression trop imbriquée", "expression nested too deeply"),
          tr("découpez-la avec des définitions « soit »", "split it with 'let' definitions"));
      depth_reported_ = true;
    }
    return true;
  }

  // Conditions joined by `et` and `ou`: `et` binds tighter, and each run of one
  // operator is one flat node (`a et b et c`), however long.
  ast::ExprPtr expr(TamisParser::ExprContext* ctx, std::size_t depth) {
    if (ctx == nullptr) return std::make_unique<ast::Expr>();
    if (too_deep(ctx, depth)) return error_expr(ctx);
    const auto& children = ctx->children;
    const auto is_or = [&](std::size_t i) {
      auto* t = context_cast<antlr4::tree::TerminalNode>(children[i]);
      return t != nullptr && t->getSymbol()->getType() == TamisLexer::OR;
    };
    // The `et` runs between the `ou`s: [first, last] child indices, conditions at both ends.
    std::vector<std::pair<std::size_t, std::size_t>> runs;
    std::size_t first = 0;
    for (std::size_t i = 1; i < children.size(); i += 2) {
      if (is_or(i)) {
        runs.emplace_back(first, i - 1);
        first = i + 1;
      }
    }
    runs.emplace_back(first, children.size() - 1);
    const std::size_t inner = depth + (runs.size() > 1 ? 1 : 0);
    const auto and_run = [&](std::size_t from, std::size_t to) -> ast::ExprPtr {
      if (from == to) return condition(children[from], inner);
      auto e = make(ast::ExprKind::And, ctx);
      span(*e, children[from], children[to]);
      for (std::size_t i = from; i <= to; i += 2)
        e->args.push_back(condition(children[i], inner + 1));
      return e;
    };
    if (runs.size() == 1) return and_run(runs[0].first, runs[0].second);
    auto e = make(ast::ExprKind::Or, ctx);
    for (const auto& [from, to] : runs) e->args.push_back(and_run(from, to));
    return e;
  }

  // `non non a = b`: each `non` spans from itself to the end of the condition.
  ast::ExprPtr condition(antlr4::tree::ParseTree* node, std::size_t depth) {
    auto* ctx = context_cast<TamisParser::ConditionContext>(node);
    if (ctx == nullptr || ctx->operation() == nullptr) return error_expr(nullptr);
    const auto nots = ctx->NOT();
    if (too_deep(ctx, depth + nots.size())) return error_expr(ctx);
    ast::ExprPtr e = operation(ctx->operation(), depth + nots.size());
    for (std::size_t k = nots.size(); k-- > 0;) {
      const antlr4::Token* op = nots[k]->getSymbol();
      auto node_not = unary(ctx, ast::UnaryOp::Not, op, std::move(e));
      const SourceRange start = range(op);
      node_not->range.line = start.line;
      node_not->range.column = start.column;
      e = std::move(node_not);
    }
    return e;
  }

  // Operands and binary operators, grouped by precedence (grammar/Tamis.g4), each level
  // from the left: `a - b * c + d` is ((a - (b * c)) + d).
  ast::ExprPtr operation(TamisParser::OperationContext* ctx, std::size_t depth) {
    const auto& children = ctx->children;
    const std::size_t operators = children.size() / 2;
    if (too_deep(ctx, depth + operators)) return error_expr(ctx);
    std::size_t next = 0;  // the child to read
    return climb(children, next, 0, depth + operators);
  }

  static int precedence(ast::BinaryOp op) {
    switch (op) {
      case ast::BinaryOp::In:
      case ast::BinaryOp::NotIn:
      case ast::BinaryOp::Contains:
        return 1;
      case ast::BinaryOp::Eq:
      case ast::BinaryOp::Ne:
      case ast::BinaryOp::Lt:
      case ast::BinaryOp::Le:
      case ast::BinaryOp::Gt:
      case ast::BinaryOp::Ge:
        return 2;
      case ast::BinaryOp::Default:
        return 3;
      case ast::BinaryOp::Add:
      case ast::BinaryOp::Sub:
        return 4;
      case ast::BinaryOp::Mul:
      case ast::BinaryOp::Div:
        return 5;
    }
    return 0;
  }

  // Precedence climbing from children[next]: an operand, then the operators of at least
  // `min_precedence` with their right-hand sides (which take only tighter operators).
  // Recurses once per precedence level, not per operator.
  ast::ExprPtr climb(const std::vector<antlr4::tree::ParseTree*>& children, std::size_t& next,
                     int min_precedence, std::size_t depth) {
    auto* first = context_cast<TamisParser::UnaryExprContext>(children[next]);
    ast::ExprPtr e = unary_operand(first, depth);
    ++next;
    while (next + 1 < children.size()) {
      auto* op = context_cast<antlr4::tree::TerminalNode>(children[next]);
      if (op == nullptr) return e;  // error recovery's nodes
      const ast::BinaryOp binary = binary_op(op->getSymbol());
      const int level = precedence(binary);
      if (level < min_precedence) return e;
      ++next;
      ast::ExprPtr rhs = climb(children, next, level + 1, depth);
      auto node = make(ast::ExprKind::Binary, first);
      span(*node, first, children[next - 1]);  // to the last operand the right-hand side read
      node->binary_op = binary;
      node->op_range = range(op->getSymbol());
      node->args.push_back(std::move(e));
      node->args.push_back(std::move(rhs));
      e = std::move(node);
    }
    return e;
  }

  // Makes `e` span from the first token of `from` to the last of `to`.
  void span(ast::Expr& e, antlr4::tree::ParseTree* from, antlr4::tree::ParseTree* to) const {
    auto* start = context_cast<antlr4::ParserRuleContext>(from);
    auto* stop = context_cast<antlr4::ParserRuleContext>(to);
    if (start == nullptr || stop == nullptr) return;
    const SourceRange begin = range(start);
    const SourceRange end = range(stop);
    e.range = begin;
    e.range.end_line = end.end_line;
    e.range.end_column = end.end_column;
  }

  ast::ExprPtr unary_operand(TamisParser::UnaryExprContext* ctx, std::size_t depth) {
    if (ctx == nullptr) return error_expr(nullptr);
    if (too_deep(ctx, depth)) return error_expr(ctx);
    if (auto* c = context_cast<TamisParser::NegExprContext>(ctx)) {
      return unary(c, ast::UnaryOp::Negate, c->getStart(),
                   unary_operand(c->unaryExpr(), depth + 1));
    }
    if (auto* c = context_cast<TamisParser::PostfixExprContext>(ctx)) return postfix(c, depth);
    return error_expr(ctx);
  }

  static ast::BinaryOp binary_op(const antlr4::Token* op) {
    switch (op->getType()) {
      case TamisLexer::IN:
        return ast::BinaryOp::In;
      case TamisLexer::NOT_IN:
        return ast::BinaryOp::NotIn;
      case TamisLexer::CONTAINS:
        return ast::BinaryOp::Contains;
      case TamisLexer::NEQ:
        return ast::BinaryOp::Ne;
      case TamisLexer::LE:
        return ast::BinaryOp::Le;
      case TamisLexer::GE:
        return ast::BinaryOp::Ge;
      case TamisLexer::DEFAULT:
        return ast::BinaryOp::Default;
      default:
        break;
    }
    const std::string s = op->getText();
    if (s == "<") return ast::BinaryOp::Lt;
    if (s == ">") return ast::BinaryOp::Gt;
    if (s == "+") return ast::BinaryOp::Add;
    if (s == "-") return ast::BinaryOp::Sub;
    if (s == "*") return ast::BinaryOp::Mul;
    if (s == "/") return ast::BinaryOp::Div;
    return ast::BinaryOp::Eq;
  }

  ast::ExprPtr unary(antlr4::ParserRuleContext* ctx, ast::UnaryOp op, const antlr4::Token* op_token,
                     ast::ExprPtr operand) {
    auto e = make(ast::ExprKind::Unary, ctx);
    e->unary_op = op;
    e->op_range = range(op_token);
    e->args.push_back(std::move(operand));
    return e;
  }

  // A primary and its suffixes, in order: `a.b est renseigné` is (a.b) est renseigné.
  // Each node spans from the primary to its suffix.
  ast::ExprPtr postfix(TamisParser::PostfixExprContext* ctx, std::size_t depth) {
    const auto suffixes = ctx->suffix();
    if (too_deep(ctx, depth + suffixes.size())) return error_expr(ctx);
    ast::ExprPtr e = primary(ctx->primary(), depth + suffixes.size());
    for (auto* suffix : suffixes) {
      if (auto* m = context_cast<TamisParser::MemberSuffixContext>(suffix)) {
        auto node = make(ast::ExprKind::Member, ctx);
        node->name = name(m->IDENT());
        node->args.push_back(std::move(e));
        e = std::move(node);
      } else if (auto* t = context_cast<TamisParser::TestSuffixContext>(suffix)) {
        ast::UnaryOp op = ast::UnaryOp::IsSet;
        switch (t->test->getType()) {
          case TamisLexer::IS_NOT_SET:
            op = ast::UnaryOp::IsNotSet;
            break;
          case TamisLexer::IS_EMPTY:
            op = ast::UnaryOp::IsEmpty;
            break;
          case TamisLexer::IS_NOT_EMPTY:
            op = ast::UnaryOp::IsNotEmpty;
            break;
          default:
            break;
        }
        e = unary(ctx, op, t->test, std::move(e));
      } else {
        continue;
      }
      span(*e, ctx->primary(), suffix);
    }
    return e;
  }

  ast::ExprPtr primary(TamisParser::PrimaryContext* ctx, std::size_t depth) {
    using P = TamisParser;
    if (ctx == nullptr) return std::make_unique<ast::Expr>();
    if (auto* c = context_cast<P::LiteralPrimaryContext>(ctx)) {
      auto e = make(ast::ExprKind::Literal, c);
      e->literal = literal(c->valueLiteral());
      return e;
    }
    if (auto* c = context_cast<P::ParenPrimaryContext>(ctx)) {
      auto inner = expr(c->expr(), depth + 1);
      inner->range = range(c);
      return inner;
    }
    if (auto* c = context_cast<P::SetPrimaryContext>(ctx)) {
      auto e = make(ast::ExprKind::SetLiteral, c);
      for (auto* item : c->expr()) e->args.push_back(expr(item, depth + 1));
      return e;
    }
    if (auto* c = context_cast<P::NamePrimaryContext>(ctx)) {
      const bool call = c->children.size() > 1;  // IDENT ( … )
      auto e = make(call ? ast::ExprKind::Call : ast::ExprKind::Name, c);
      e->name = name(c->IDENT());
      for (auto* item : c->expr()) e->args.push_back(expr(item, depth + 1));
      return e;
    }
    return error_expr(ctx);
  }

  FileId file_;
  DiagnosticSink& sink_;
  const ParseLimits& limits_;
  bool depth_reported_ = false;
};

}  // namespace

ast::File build_ast(grammar::TamisParser::FileContext* tree, FileId file, DiagnosticSink& sink,
                    const ParseLimits& limits) {
  Converter converter(file, sink, limits);
  return converter.convert(tree);
}

}  // namespace tamis::syntax
