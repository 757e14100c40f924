// The front end: text → ast::File and syntax diagnostics.
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "compiler/syntax/ast.hpp"
#include "compiler/syntax/parse.hpp"
#include "helpers.hpp"
#include "support/text.hpp"

using tamis::DiagnosticSink;
using tamis::SourceRange;
using tamis::SourceSet;
using tamis::testing::count_code;
using tamis::testing::find_code;
using tamis::testing::has_code;
namespace ast = tamis::ast;

namespace {

struct Parsed {
  ast::File file;
  DiagnosticSink sink;
};

Parsed parse(const std::string& text) {
  SourceSet sources;
  const auto id = sources.add("test.tamis", text);
  Parsed p;
  p.file = tamis::syntax::parse_file(sources, id, p.sink);
  return p;
}

std::string codes(const DiagnosticSink& sink) {
  std::string out;
  for (const auto& d : sink.all()) out += d.code + " " + d.message + "\n";
  return out;
}

// Parses `soit v = <expression>` and returns the expression.
const ast::Expr& let_value(const Parsed& p) {
  REQUIRE(p.file.lets.size() == 1);
  REQUIRE(p.file.lets[0].value != nullptr);
  return *p.file.lets[0].value;
}

bool same_position(const SourceRange& r, std::uint32_t line, std::uint32_t column) {
  return r.line == line && r.column == column;
}

}  // namespace

TEST_CASE("parse: rule set declaration with name and version", "[parse]") {
  const Parsed p = parse("règles \"cop2024\" version \"2024.1\"\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.rule_sets.size() == 1);
  CHECK(p.file.rule_sets[0].name == "cop2024");
  CHECK(p.file.rule_sets[0].version == "2024.1");
  CHECK(same_position(p.file.rule_sets[0].range, 1, 1));
}

TEST_CASE("parse: enumeration values with labels and aliases", "[parse]") {
  const Parsed p = parse(
      "énumération Departement {\n"
      "  aisne \"Aisne (02)\" alias \"Aisne\", \"02\"\n"
      "  nord\n"
      "}\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.enums.size() == 1);
  const auto& e = p.file.enums[0];
  CHECK(e.name.text == "Departement");
  CHECK(same_position(e.name.range, 1, 13));  // "énumération" is 11 code points
  CHECK(e.name.range.end_column == 23);
  REQUIRE(e.values.size() == 2);
  CHECK(e.values[0].name.text == "aisne");
  CHECK(same_position(e.values[0].name.range, 2, 3));
  REQUIRE(e.values[0].label.has_value());
  CHECK(*e.values[0].label == "Aisne (02)");
  REQUIRE(e.values[0].aliases.size() == 2);
  CHECK(e.values[0].aliases[0].text == "Aisne");
  CHECK(e.values[0].aliases[1].text == "02");
  CHECK(e.values[1].name.text == "nord");
  CHECK_FALSE(e.values[1].label.has_value());
  CHECK(e.values[1].aliases.empty());
  CHECK(e.range.line == 1);
  CHECK(e.range.end_line == 4);
}

TEST_CASE("parse: schema fields with optional, set and named types", "[parse]") {
  const Parsed p = parse(
      "schéma Dossier {\n"
      "  id : entier colonne \"ID\"\n"
      "  maturite : Maturite? colonne \"Maturité du projet\"\n"
      "  leviers : ensemble de Levier colonne \"Levier(s)\"\n"
      "}\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.schemas.size() == 1);
  const auto& s = p.file.schemas[0];
  CHECK(s.name.text == "Dossier");
  REQUIRE(s.fields.size() == 3);
  CHECK(s.fields[0].name.text == "id");
  CHECK(s.fields[0].type.name.text == "entier");
  CHECK_FALSE(s.fields[0].type.optional);
  CHECK_FALSE(s.fields[0].type.set);
  CHECK(s.fields[0].column.text == "ID");
  CHECK(s.fields[1].type.name.text == "Maturite");
  CHECK(s.fields[1].type.optional);
  CHECK(s.fields[1].column.text == "Maturité du projet");
  CHECK(s.fields[2].type.name.text == "Levier");
  CHECK(s.fields[2].type.set);
  CHECK_FALSE(s.fields[2].type.optional);
  CHECK(same_position(s.fields[2].name.range, 4, 3));
}

TEST_CASE("parse: table columns, rows, aliases and every kind of cell", "[parse]") {
  const Parsed p = parse(
      "table Levier (secteur : texte, axes : ensemble de Axe, part : décimal?) {\n"
      "  \"Vélo\" alias \"Report modal\", \"Cyclisme\" | \"Transports\" | {climat, \"Santé\"} | "
      "7.5\n"
      "  \"SAF\" | \"Transports\" | {} | vide\n"
      "}\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.tables.size() == 1);
  const auto& t = p.file.tables[0];
  CHECK(t.name.text == "Levier");
  REQUIRE(t.columns.size() == 3);
  CHECK(t.columns[0].name.text == "secteur");
  CHECK(t.columns[0].type.name.text == "texte");
  CHECK(t.columns[1].type.set);
  CHECK(t.columns[1].type.name.text == "Axe");
  CHECK(t.columns[2].type.optional);
  REQUIRE(t.rows.size() == 2);
  const auto& velo = t.rows[0];
  CHECK(velo.key.text == "Vélo");
  REQUIRE(velo.aliases.size() == 2);
  CHECK(velo.aliases[0].text == "Report modal");
  CHECK(velo.aliases[1].text == "Cyclisme");
  REQUIRE(velo.cells.size() == 3);
  CHECK(velo.cells[0].kind == ast::Cell::Kind::Literal);
  CHECK(velo.cells[0].literal.kind == ast::Literal::Kind::Text);
  CHECK(velo.cells[0].literal.text == "Transports");
  CHECK(velo.cells[1].kind == ast::Cell::Kind::Set);
  REQUIRE(velo.cells[1].items.size() == 2);
  CHECK(velo.cells[1].items[0].text == "climat");
  CHECK(velo.cells[1].items[1].text == "Santé");
  CHECK(velo.cells[1].item_is_label == std::vector<bool>{false, true});
  CHECK(velo.cells[2].literal.kind == ast::Literal::Kind::Decimal);
  CHECK(velo.cells[2].literal.decimal == 7'500'000);
  const auto& saf = t.rows[1];
  REQUIRE(saf.cells.size() == 3);
  CHECK(saf.cells[1].kind == ast::Cell::Kind::Set);
  CHECK(saf.cells[1].items.empty());
  CHECK(saf.cells[2].kind == ast::Cell::Kind::Empty);
}

TEST_CASE("parse: soit with and without a declared type", "[parse]") {
  const Parsed p = parse(
      "soit a = 1\n"
      "soit autres : ensemble de Thematique = {sante, \"Culture\"}\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.lets.size() == 2);
  CHECK(p.file.lets[0].name.text == "a");
  CHECK_FALSE(p.file.lets[0].type.has_value());
  CHECK(p.file.lets[0].value->kind == ast::ExprKind::Literal);
  CHECK(p.file.lets[0].value->literal.integer == 1);
  CHECK(p.file.lets[1].name.text == "autres");
  REQUIRE(p.file.lets[1].type.has_value());
  CHECK(p.file.lets[1].type->set);
  CHECK(p.file.lets[1].type->name.text == "Thematique");
  const auto& set = *p.file.lets[1].value;
  CHECK(set.kind == ast::ExprKind::SetLiteral);
  REQUIRE(set.args.size() == 2);
  CHECK(set.args[0]->kind == ast::ExprKind::Name);
  CHECK(set.args[1]->literal.text == "Culture");
}

TEST_CASE("parse: decision with policy, rules, reasons and fallback", "[parse]") {
  const Parsed p = parse(
      "décision categorie : Categorie unique {\n"
      "  règle \"R1\" si a alors x parce que \"car a\"\n"
      "  règle \"R2\" si b alors y\n"
      "  sinon \"R3 défaut\" alors z parce que \"rien\"\n"
      "}\n"
      "décision autre : Categorie toutes {\n"
      "  règle \"A\" si a alors x\n"
      "}\n"
      "décision simple : Categorie {\n"
      "  sinon z\n"
      "}\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.decisions.size() == 3);
  const auto& d = p.file.decisions[0];
  CHECK(d.name.text == "categorie");
  CHECK(d.type.text == "Categorie");
  CHECK(d.policy == ast::HitPolicy::Unique);
  REQUIRE(d.rules.size() == 2);
  CHECK(d.rules[0].name.text == "R1");
  REQUIRE(d.rules[0].condition != nullptr);
  CHECK(d.rules[0].condition->name.text == "a");
  CHECK(d.rules[0].result->name.text == "x");
  CHECK(d.rules[0].reason == "car a");
  CHECK(d.rules[1].reason.empty());
  CHECK(same_position(d.rules[1].range, 3, 3));
  REQUIRE(d.fallback.has_value());
  CHECK(d.fallback->name.text == "R3 défaut");
  CHECK(d.fallback->condition == nullptr);
  CHECK(d.fallback->result->name.text == "z");
  CHECK(d.fallback->reason == "rien");
  CHECK(p.file.decisions[1].policy == ast::HitPolicy::Collect);
  CHECK_FALSE(p.file.decisions[1].fallback.has_value());
  CHECK(p.file.decisions[2].policy == ast::HitPolicy::First);  // the default
  REQUIRE(p.file.decisions[2].fallback.has_value());
  CHECK(p.file.decisions[2].fallback->name.text == "sinon");  // unnamed fallback
}

TEST_CASE("parse: output columns named by text or identifier, and a summary", "[parse]") {
  const Parsed p = parse(
      "sortie {\n"
      "  \"ID\" = id\n"
      "  motif = nom_regle(categorie)\n"
      "  \"axes\" = leviers.axes\n"
      "}\n"
      "synthèse \"Bilan\" lignes categorie colonnes departement\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.outputs.size() == 1);
  const auto& o = p.file.outputs[0];
  REQUIRE(o.columns.size() == 3);
  CHECK(o.columns[0].name.text == "ID");
  CHECK(o.columns[1].name.text == "motif");
  CHECK(o.columns[1].value->kind == ast::ExprKind::Call);
  CHECK(o.columns[1].value->name.text == "nom_regle");
  REQUIRE(o.columns[1].value->args.size() == 1);
  CHECK(o.columns[1].value->args[0]->name.text == "categorie");
  CHECK(o.columns[2].value->kind == ast::ExprKind::Member);
  CHECK(o.columns[2].value->name.text == "axes");
  CHECK(o.columns[2].value->args[0]->name.text == "leviers");
  REQUIRE(p.file.summaries.size() == 1);
  CHECK(p.file.summaries[0].title.text == "Bilan");
  CHECK(p.file.summaries[0].rows->name.text == "categorie");
  CHECK(p.file.summaries[0].columns->name.text == "departement");
}

TEST_CASE("parse: columns count code points, not bytes", "[parse][position]") {
  // "éé" is 2 code points but 4 bytes: `ab` starts at column 15, not 17.
  const Parsed p = parse("soit x = 1\nsoit éé = 1 + ab\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.lets.size() == 2);
  const auto& let = p.file.lets[1];
  CHECK(let.name.text == "éé");
  CHECK(same_position(let.name.range, 2, 6));
  CHECK(let.name.range.end_column == 7);
  const auto& sum = *let.value;
  REQUIRE(sum.kind == ast::ExprKind::Binary);
  CHECK(sum.binary_op == ast::BinaryOp::Add);
  CHECK(same_position(sum.op_range, 2, 13));
  const auto& ab = *sum.args[1];
  CHECK(ab.name.text == "ab");
  CHECK(same_position(ab.range, 2, 15));
  CHECK(ab.range.end_column == 16);
  CHECK(same_position(sum.range, 2, 11));
  CHECK(sum.range.end_column == 16);
}

TEST_CASE("parse: a string token's range covers its quotes in code points", "[parse][position]") {
  const Parsed p = parse("énumération E { a \"Été\" }\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.enums.size() == 1);
  REQUIRE(p.file.enums[0].values.size() == 1);
  const auto& v = p.file.enums[0].values[0];
  CHECK(same_position(v.name.range, 1, 17));
  CHECK(v.range.column == 17);
  CHECK(v.range.end_column == 23);  // `"Été"` is 5 code points: 19..23
}

namespace {

// The same small rule set written three ways. Only keywords differ.
const char* const kFrench =
    "règles \"r\" version \"1\"\n"
    "énumération C { a b }\n"
    "schéma D { x : entier? colonne \"X\" s : ensemble de C colonne \"S\" }\n"
    "table T (c : texte) { \"k\" alias \"K2\" | vide }\n"
    "soit v = x est renseigné et x ≥ 1 ou x n'est pas renseigné ou non (s est vide)\n"
    "soit w = (x par défaut 0) = 2 et a dans s et a pas dans s et s contient b et s n'est pas "
    "vide\n"
    "soit t = vrai ou faux ou oui\n"
    "décision d : C première { règle \"R\" si v alors a parce que \"p\" sinon b }\n"
    "décision e : C toutes { règle \"R\" si w alors a }\n"
    "sortie { \"x\" = x }\n"
    "synthèse \"S\" lignes d colonnes d\n";

const char* const kUnaccented =
    "regles \"r\" version \"1\"\n"
    "enumeration C { a b }\n"
    "schema D { x : entier? colonne \"X\" s : ensemble de C colonne \"S\" }\n"
    "table T (c : texte) { \"k\" alias \"K2\" | vide }\n"
    "soit v = x est renseigne et x >= 1 ou x n'est pas renseigne ou non (s est vide)\n"
    "soit w = (x par defaut 0) = 2 et a dans s et a pas dans s et s contient b et s n’est pas "
    "vide\n"
    "soit t = vrai ou faux ou oui\n"
    "decision d : C premiere { regle \"R\" si v alors a parce que \"p\" sinon b }\n"
    "decision e : C toutes { regle \"R\" si w alors a }\n"
    "sortie { \"x\" = x }\n"
    "synthese \"S\" lignes d colonnes d\n";

const char* const kEnglish =
    "ruleset \"r\" version \"1\"\n"
    "enum C { a b }\n"
    "schema D { x : entier? column \"X\" s : set of C column \"S\" }\n"
    "table T (c : texte) { \"k\" alias \"K2\" | empty }\n"
    "let v = x is set and x >= 1 or x is not set or not (s is empty)\n"
    "let w = (x default 0) = 2 and a in s and a not in s and s contains b and s is not empty\n"
    "let t = true or false or yes\n"
    "decision d : C first { rule \"R\" if v then a because \"p\" otherwise b }\n"
    "decision e : C collect { rule \"R\" if w then a }\n"
    "output { \"x\" = x }\n"
    "summary \"S\" rows d columns d\n";

// A structural fingerprint of an expression: kinds and operators, no positions.
std::string shape(const ast::Expr& e) {
  std::string out;
  switch (e.kind) {
    case ast::ExprKind::Literal:
      out = "lit" + std::to_string(static_cast<int>(e.literal.kind)) + ":" +
            (e.literal.kind == ast::Literal::Kind::Boolean ? (e.literal.boolean ? "T" : "F")
                                                           : e.literal.text);
      break;
    case ast::ExprKind::Name:
      out = e.name.text;
      break;
    case ast::ExprKind::Member:
      out = "." + e.name.text;
      break;
    case ast::ExprKind::Call:
      out = e.name.text + "()";
      break;
    case ast::ExprKind::SetLiteral:
      out = "{}";
      break;
    case ast::ExprKind::Unary:
      out = "u" + std::to_string(static_cast<int>(e.unary_op));
      break;
    case ast::ExprKind::Binary:
      out = "b" + std::to_string(static_cast<int>(e.binary_op));
      break;
    case ast::ExprKind::And:
      out = "and";
      break;
    case ast::ExprKind::Or:
      out = "or";
      break;
  }
  if (e.args.empty()) return out;
  out += "(";
  for (const auto& a : e.args) out += shape(*a) + ",";
  return out + ")";
}

std::string fingerprint(const ast::File& f) {
  std::string out;
  for (const auto& r : f.rule_sets) out += "rs " + r.name + " " + r.version + "\n";
  for (const auto& e : f.enums)
    out += "enum " + e.name.text + std::to_string(e.values.size()) + "\n";
  for (const auto& s : f.schemas) {
    for (const auto& fd : s.fields) {
      out += "field " + fd.name.text + " " + fd.type.name.text + (fd.type.optional ? "?" : "") +
             (fd.type.set ? "*" : "") + " " + fd.column.text + "\n";
    }
  }
  for (const auto& t : f.tables) {
    for (const auto& r : t.rows) {
      out += "row " + r.key.text + " " + std::to_string(r.aliases.size()) + " " +
             std::to_string(static_cast<int>(r.cells.at(0).kind)) + "\n";
    }
  }
  for (const auto& l : f.lets) out += "let " + l.name.text + " " + shape(*l.value) + "\n";
  for (const auto& d : f.decisions) {
    out += "dec " + d.name.text + " " + std::to_string(static_cast<int>(d.policy)) + "\n";
    for (const auto& r : d.rules) {
      out += " rule " + r.name.text + " " + shape(*r.condition) + " " + shape(*r.result) + " " +
             r.reason + "\n";
    }
    if (d.fallback) out += " fallback " + shape(*d.fallback->result) + "\n";
  }
  for (const auto& o : f.outputs) out += "out " + std::to_string(o.columns.size()) + "\n";
  for (const auto& s : f.summaries) {
    out += "sum " + s.title.text + " " + shape(*s.rows) + " " + shape(*s.columns) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("parse: French, unaccented and English keywords give the same AST", "[parse][keywords]") {
  const Parsed french = parse(kFrench);
  const Parsed unaccented = parse(kUnaccented);
  const Parsed english = parse(kEnglish);
  INFO(codes(french.sink) << codes(unaccented.sink) << codes(english.sink));
  REQUIRE_FALSE(french.sink.has_errors());
  REQUIRE_FALSE(unaccented.sink.has_errors());
  REQUIRE_FALSE(english.sink.has_errors());
  const std::string reference = fingerprint(french.file);
  CHECK(fingerprint(unaccented.file) == reference);
  CHECK(fingerprint(english.file) == reference);
  // The fingerprint is not vacuous.
  REQUIRE(french.file.lets.size() == 3);
  CHECK(shape(*french.file.lets[0].value) == "or(and(u2(x,),b5(x,lit0:1,),),u3(x,),u0(u4(s,),),)");
  CHECK(shape(*french.file.lets[1].value) ==
        "and(b0(b13(x,lit0:0,),lit0:2,),b6(a,s,),b7(a,s,),b8(s,b,),u5(s,),)");
  CHECK(shape(*french.file.lets[2].value) == "or(lit4:T,lit4:F,lit4:T,)");
  REQUIRE(french.file.decisions.size() == 2);
  CHECK(french.file.decisions[0].policy == ast::HitPolicy::First);
  CHECK(french.file.decisions[1].policy == ast::HitPolicy::Collect);
}

TEST_CASE("parse: operator spellings ≠ != <> ≤ <= and the keyword non renseigné",
          "[parse][keywords]") {
  for (const char* op : {"≠", "!=", "<>"}) {
    const Parsed p = parse(std::string("soit v = a ") + op + " b\n");
    INFO(op << "\n" << codes(p.sink));
    REQUIRE_FALSE(p.sink.has_errors());
    CHECK(let_value(p).binary_op == ast::BinaryOp::Ne);
  }
  for (const char* op : {"≤", "<="}) {
    const Parsed p = parse(std::string("soit v = a ") + op + " b\n");
    REQUIRE_FALSE(p.sink.has_errors());
    CHECK(let_value(p).binary_op == ast::BinaryOp::Le);
  }
  const Parsed p = parse("soit v = a non renseigné\n");
  REQUIRE_FALSE(p.sink.has_errors());
  CHECK(let_value(p).kind == ast::ExprKind::Unary);
  CHECK(let_value(p).unary_op == ast::UnaryOp::IsNotSet);
}

TEST_CASE("parse: est renseigné and est vide may agree with their value", "[parse][keywords]") {
  struct Case {
    const char* text;
    ast::UnaryOp op;
  };
  for (const Case& c : {Case{"a est renseignée", ast::UnaryOp::IsSet},
                        Case{"a est renseignes", ast::UnaryOp::IsSet},
                        Case{"a n'est pas renseignées", ast::UnaryOp::IsNotSet},
                        Case{"a non renseignée", ast::UnaryOp::IsNotSet},
                        Case{"a est vides", ast::UnaryOp::IsEmpty},
                        Case{"a n'est pas vides", ast::UnaryOp::IsNotEmpty},
                        Case{"a non vides", ast::UnaryOp::IsNotEmpty}}) {
    const Parsed p = parse(std::string("soit v = ") + c.text + " et b\n");
    INFO(c.text << "\n" << codes(p.sink));
    REQUIRE_FALSE(p.sink.has_errors());
    REQUIRE(let_value(p).kind == ast::ExprKind::And);
    CHECK(let_value(p).args[0]->unary_op == c.op);
  }
}

TEST_CASE("parse: precedence of arithmetic, comparison and logic", "[parse]") {
  const Parsed p = parse("soit v = non a + b * c > - d ou e et f\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  // ou(non((a + (b * c)) > (-d)), et(e, f))
  CHECK(shape(let_value(p)) == "or(u0(b4(b9(a,b11(b,c,),),u1(d,),),),and(e,f,),)");
}

TEST_CASE("parse: a prefix takes what binds tighter, binary operators group to the left",
          "[parse]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a - b - c", "b10(b10(a,b,),c,)"},
      {"a / b * c", "b11(b12(a,b,),c,)"},
      {"a * (non b) + c", "b9(b11(a,u0(b,),),c,)"},
      {"- a.b * c", "b11(u1(.b(a,),),c,)"},
      {"- - a", "u1(u1(a,),)"},
      {"non a dans b et c", "and(u0(b6(a,b,),),c,)"},
      {"non a + b = c ou d", "or(u0(b0(b9(a,b,),c,),),d,)"},
      {"non non a", "u0(u0(a,),)"},
      {"a.b est renseigné", "u2(.b(a,),)"},
      {"a.b.c est vide", "u4(.c(.b(a,),),)"},
      {"x = non et y", "and(b0(x,lit4:F,),y,)"},
      {"x = non", "b0(x,lit4:F,)"},
      {"a par défaut 1 + 2", "b13(a,b9(lit0:1,lit0:2,),)"},
      {"a < b = c", "b0(b2(a,b,),c,)"},
      {"f(a, non b) contient c", "b8(f()(a,u0(b,),),c,)"},
      {"{a, b} pas dans c ou d", "or(b7({}(a,b,),c,),d,)"},
  };
  for (const auto& [text, expected] : cases) {
    const Parsed p = parse("soit v = " + text + "\n");
    INFO(text << "\n" << codes(p.sink));
    REQUIRE_FALSE(p.sink.has_errors());
    CHECK(shape(let_value(p)) == expected);
  }
}

TEST_CASE("parse: each operator's node spans its operands, its operator where it is written",
          "[parse][position]") {
  const Parsed p = parse("soit v = a - b - c est vide\n");
  REQUIRE_FALSE(p.sink.has_errors());
  const auto& outer = let_value(p);  // (a - b) - (c est vide)
  CHECK(same_position(outer.range, 1, 10));
  CHECK(outer.range.end_column == 27);
  CHECK(same_position(outer.op_range, 1, 16));
  const auto& inner = *outer.args[0];
  CHECK(same_position(inner.range, 1, 10));
  CHECK(inner.range.end_column == 14);
  CHECK(same_position(inner.op_range, 1, 12));
  const auto& test = *outer.args[1];
  CHECK(same_position(test.range, 1, 18));
  CHECK(test.range.end_column == 27);
}

TEST_CASE("parse: `non` stands where a whole condition may, elsewhere in brackets",
          "[parse][errors]") {
  const Parsed p = parse("soit v = impact = non replicable\n");
  REQUIRE(count_code(p.sink, "E0001") == 1);
  const auto& d = find_code(p.sink, "E0001");
  CHECK(same_position(d.range, 1, 19));
  CHECK(d.hint.find("« (non replicable) »") != std::string::npos);
  const Parsed ok = parse("soit v = impact = (non replicable)\n");
  INFO(codes(ok.sink));
  REQUIRE_FALSE(ok.sink.has_errors());
  CHECK(shape(let_value(ok)) == "b0(impact,u0(replicable,),)");
}

TEST_CASE("parse: brackets and prefixes each under their limit, too deep together, give E0004",
          "[parse][limits]") {
  // 50 brackets, each after 60 signs `-`: neither limit of the pre-pass is reached, but
  // the parse nests more than 3,000 rules deep (each `-` is one); it stops at its depth
  // limit, without a crash.
  std::string text = "soit v = ";
  for (int level = 0; level < 50; ++level) {
    for (int i = 0; i < 60; ++i) text += "- ";
    text += "(";
  }
  text += "1" + std::string(50, ')') + "\n";
  const Parsed p = parse(text);
  CHECK(count_code(p.sink, "E0004") == 1);
  CHECK(p.file.lets.empty());
}

TEST_CASE("parse: `non` before no operand is the boolean false, before one the operator",
          "[parse][literal]") {
  const Parsed p = parse(
      "sortie {\n  \"a\" = non\n  b = non c\n}\n"
      "test \"t\" {\n  impact = non\n  leviers = \"Vélo\"\n  attendu x = non\n}\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.outputs.size() == 1);
  const auto& columns = p.file.outputs[0].columns;
  REQUIRE(columns.size() == 2);
  CHECK(shape(*columns[0].value) == "lit4:F");
  CHECK(shape(*columns[1].value) == "u0(c,)");
  REQUIRE(p.file.tests.size() == 1);
  CHECK(p.file.tests[0].given.size() == 2);
  CHECK(p.file.tests[0].given[0].cell == "Non");
  CHECK(shape(*p.file.tests[0].expected[0].value) == "lit4:F");
}

TEST_CASE("parse: a chain of 5000 `et` is one flat And node", "[parse][limits]") {
  std::string text = "soit v = t0";
  for (int i = 1; i < 5000; ++i) text += " et t" + std::to_string(i);
  text += "\n";
  const Parsed p = parse(text);
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  const auto& e = let_value(p);
  REQUIRE(e.kind == ast::ExprKind::And);
  REQUIRE(e.args.size() == 5000);
  CHECK(e.args.front()->name.text == "t0");
  CHECK(e.args[1234]->name.text == "t1234");
  CHECK(e.args.back()->name.text == "t4999");
  CHECK(std::all_of(e.args.begin(), e.args.end(),
                    [](const ast::ExprPtr& arg) { return arg->kind == ast::ExprKind::Name; }));
}

TEST_CASE("parse: a chain of 5000 `ou` is one flat Or node", "[parse][limits]") {
  std::string text = "soit v = t0";
  for (int i = 1; i < 5000; ++i) text += " ou t" + std::to_string(i);
  const Parsed p = parse(text);
  REQUIRE_FALSE(p.sink.has_errors());
  const auto& e = let_value(p);
  REQUIRE(e.kind == ast::ExprKind::Or);
  CHECK(e.args.size() == 5000);
}

TEST_CASE("parse: 100 nested parentheses give E0004, not a crash", "[parse][limits]") {
  const std::string text = "soit v = " + std::string(100, '(') + "a" + std::string(100, ')') + "\n";
  const Parsed p = parse(text);
  REQUIRE(has_code(p.sink, "E0004"));
  const auto& d = find_code(p.sink, "E0004");
  CHECK(d.range.line == 1);
  CHECK(d.range.column > 9);  // on one of the parentheses
  CHECK(p.file.lets.empty());
}

TEST_CASE("parse: 100 prefix `non` give E0004, not a crash", "[parse][limits]") {
  std::string text = "soit v =";
  for (int i = 0; i < 100; ++i) text += " non";
  text += " a\n";
  const Parsed p = parse(text);
  CHECK(has_code(p.sink, "E0004"));
}

TEST_CASE("parse: nesting just under the limit is accepted", "[parse][limits]") {
  const std::string text = "soit v = " + std::string(30, '(') + "a" + std::string(30, ')') + "\n";
  const Parsed p = parse(text);
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  CHECK(let_value(p).name.text == "a");
}

TEST_CASE("parse: invalid UTF-8 gives E0008 at the bad byte", "[parse][utf8]") {
  const Parsed p = parse("soit a = 1\nsoit é = \"caf\xE9\"\n");
  REQUIRE(has_code(p.sink, "E0008"));
  const auto& d = find_code(p.sink, "E0008");
  CHECK(d.range.line == 2);
  CHECK(d.range.column == 14);  // `soit é = "caf` is 13 code points
  CHECK(p.sink.error_count() == 1);
  CHECK(p.file.lets.empty());
}

TEST_CASE("parse: an unclosed brace gives E0005 at the opening brace", "[parse][brackets]") {
  const Parsed p = parse(
      "énumération A { x }\n"
      "énumération B {\n"
      "  y\n"
      "soit v = 1\n");
  REQUIRE(has_code(p.sink, "E0005"));
  const auto& d = find_code(p.sink, "E0005");
  CHECK(d.range.line == 2);
  CHECK(d.range.column == 15);
  CHECK(d.message.find("{") != std::string::npos);
}

TEST_CASE("parse: a reserved word used as a name says so, not that a brace is open",
          "[parse][brackets]") {
  // Where an operand goes (after `et`, `=`, `(`…) on the same line: a name that is reserved.
  for (const char* text : {"décision d : C {\n  règle \"R\" si a et test alors x\n}\n",
                           "décision d : C {\n  règle \"R\" si (table) alors x\n}\n",
                           "soit v = version et vrai\n", "soit colonne = 1\n"}) {
    INFO(text);
    const Parsed p = parse(text);
    CHECK_FALSE(has_code(p.sink, "E0005"));
    REQUIRE(has_code(p.sink, "E0001"));
    CHECK(find_code(p.sink, "E0001").hint.find("mot réservé") != std::string::npos);
  }
  // `x = vide` tests an empty answer: said so, not that `vide` is a reserved name.
  const Parsed empty = parse("soit v = thematique = vide\n");
  REQUIRE(has_code(empty.sink, "E0001"));
  CHECK(find_code(empty.sink, "E0001").hint.find("« thematique n'est pas renseigné »") !=
        std::string::npos);
  // At the start of a line, the same keyword still shows where a block was left open, and
  // a rule after an `alors` left without its result is no misused name.
  const Parsed open = parse("décision d : C {\n  règle \"R\" si a et\ntest \"t\" {\n}\n");
  REQUIRE(has_code(open.sink, "E0005"));
  CHECK(find_code(open.sink, "E0005").range.line == 1);
  const Parsed no_result =
      parse("décision d : C {\n  règle \"R1\" si a alors\n  règle \"R2\" si b alors x\n}\n");
  REQUIRE(has_code(no_result.sink, "E0001"));
  CHECK(find_code(no_result.sink, "E0001").hint.find("mot réservé") == std::string::npos);
}

TEST_CASE("parse: a block header without its { is reported on the header's line",
          "[parse][brackets]") {
  const Parsed p =
      parse("soit a = vrai\ndécision d : C première\n  règle \"R\" si a alors x\n  sinon y\n}\n");
  INFO(codes(p.sink));
  REQUIRE(p.sink.error_count() == 1);
  const auto& d = find_code(p.sink, "E0005");
  CHECK(same_position(d.range, 2, 1));
  CHECK(d.hint.find("à la fin de la ligne 2") != std::string::npos);
  // A table: the brace goes after its columns, maybe lines below the keyword.
  const Parsed table = parse("table T (\n  a : texte\n)\n  \"x\" | \"y\"\n}\n");
  REQUIRE(table.sink.error_count() == 1);
  CHECK(find_code(table.sink, "E0005").hint.find("à la fin de la ligne 3") != std::string::npos);
}

TEST_CASE("parse: a stray closing brace gives E0005 at that brace", "[parse][brackets]") {
  const Parsed p = parse("énumération A { x }\n}\n");
  REQUIRE(has_code(p.sink, "E0005"));
  const auto& d = find_code(p.sink, "E0005");
  CHECK(d.range.line == 2);
  CHECK(d.range.column == 1);
}

TEST_CASE("parse: a mismatched closer gives E0005 with a note at the opener", "[parse][brackets]") {
  const Parsed p = parse("soit v = (a et b}\n");
  REQUIRE(has_code(p.sink, "E0005"));
  const auto& d = find_code(p.sink, "E0005");
  CHECK(d.range.column == 17);
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].first.column == 10);
}

TEST_CASE("parse: a bare `non` is the literal false", "[parse][literal]") {
  const Parsed p = parse("soit a = non\nsoit b = oui\nsoit c = non a\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.lets.size() == 3);
  const auto& a = *p.file.lets[0].value;
  CHECK(a.kind == ast::ExprKind::Literal);
  CHECK(a.literal.kind == ast::Literal::Kind::Boolean);
  CHECK_FALSE(a.literal.boolean);
  const auto& b = *p.file.lets[1].value;
  CHECK(b.literal.kind == ast::Literal::Kind::Boolean);
  CHECK(b.literal.boolean);
  const auto& c = *p.file.lets[2].value;
  CHECK(c.kind == ast::ExprKind::Unary);
  CHECK(c.unary_op == ast::UnaryOp::Not);
}

TEST_CASE("parse: string escapes", "[parse][literal]") {
  const Parsed p = parse(R"(soit v = "a\"b\\c\nd\te" )"
                         "\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  const auto& e = let_value(p);
  REQUIRE(e.literal.kind == ast::Literal::Kind::Text);
  CHECK(e.literal.text == "a\"b\\c\nd\te");
}

TEST_CASE("parse: a string ending with an escaped backslash", "[parse][literal]") {
  const Parsed p = parse(R"(soit v = "\\")"
                         "\n");
  REQUIRE_FALSE(p.sink.has_errors());
  CHECK(let_value(p).literal.text == "\\");
}

TEST_CASE("parse: an unterminated string gives E0002", "[parse][literal]") {
  const Parsed p = parse("soit v = \"abc\nsoit w = 1\n");
  CHECK(has_code(p.sink, "E0002"));
}

TEST_CASE("parse: number literals", "[parse][literal]") {
  const Parsed p = parse("soit a = 42\nsoit b = 3.25\n");
  REQUIRE_FALSE(p.sink.has_errors());
  CHECK(p.file.lets[0].value->literal.kind == ast::Literal::Kind::Integer);
  CHECK(p.file.lets[0].value->literal.integer == 42);
  CHECK(p.file.lets[1].value->literal.kind == ast::Literal::Kind::Decimal);
  CHECK(p.file.lets[1].value->literal.decimal == 3'250'000);
}

TEST_CASE("parse: an integer literal too large gives E0007", "[parse][literal]") {
  const Parsed p = parse("soit a = 99999999999999999999\n");
  CHECK(has_code(p.sink, "E0007"));
}

TEST_CASE("parse: a decimal literal is exact, to the millionth", "[parse][literal][decimal]") {
  const Parsed ok = parse("soit a = 9223372036854.000001\n");
  REQUIRE_FALSE(ok.sink.has_errors());
  CHECK(let_value(ok).literal.decimal == 9'223'372'036'854'000'001);

  const Parsed precise = parse("soit a = 0.0000001\n");
  REQUIRE(has_code(precise.sink, "E0007"));
  CHECK(find_code(precise.sink, "E0007").message.find("trop précis") != std::string::npos);

  const Parsed large = parse("soit a = 9223372036855.0\n");
  REQUIRE(has_code(large.sink, "E0007"));
  CHECK(find_code(large.sink, "E0007").message.find("trop grand") != std::string::npos);
}

TEST_CASE("parse: date literals are checked against the calendar", "[parse][literal]") {
  const Parsed ok = parse("soit a = 2024-02-29\n");
  REQUIRE_FALSE(ok.sink.has_errors());
  CHECK(let_value(ok).literal.kind == ast::Literal::Kind::Date);
  CHECK(let_value(ok).literal.date == tamis::text::days_from_civil(2024, 2, 29));

  const Parsed bad = parse("soit a = 2025-02-30\n");
  REQUIRE(has_code(bad.sink, "E0007"));
  const auto& d = find_code(bad.sink, "E0007");
  CHECK(d.range.line == 1);
  CHECK(d.range.column == 10);
  CHECK(d.message.find("2025-02-30") != std::string::npos);
}

TEST_CASE("parse: a misspelt keyword gets a did-you-mean hint", "[parse][errors]") {
  const Parsed p = parse("décison d : C { sinon alors a }\n");
  REQUIRE(has_code(p.sink, "E0001"));
  CHECK(find_code(p.sink, "E0001").hint.find("décision") != std::string::npos);
}

TEST_CASE("parse: a number written with spaces gets its digits together as a hint",
          "[parse][errors]") {
  const Parsed p = parse("soit a = n > 1 250 000 et vrai\n");
  REQUIRE(has_code(p.sink, "E0001"));
  CHECK(find_code(p.sink, "E0001").hint.find(": 1250000") != std::string::npos);
  // Numbers on two lines are not one number.
  const Parsed apart = parse("soit a = 1\n2\n");
  REQUIRE(has_code(apart.sink, "E0001"));
  CHECK(find_code(apart.sink, "E0001").hint.find("sans espace") == std::string::npos);
}

TEST_CASE("parse: French phrasings the language writes otherwise get the right hint",
          "[parse][errors]") {
  struct Case {
    const char* text;
    const char* hint;
  };
  for (const Case& c :
       {Case{"soit v = m n'est pas dans {a, b}\n", "« m pas dans {…} »"},
        Case{"soit v = f ne contient pas d\n", "« non (f contient …) »"},
        Case{"soit v = d entre 2025-01-01 et 2025-12-31\n", "« d >= début et d <= fin »"},
        Case{"soit v = m dans {idee travaux}\n", "séparez les valeurs par une virgule"},
        Case{"soit v = m dans {idee, travaux,}\n", "supprimez la virgule"},
        Case{"soit v = a et Non b\n", "en minuscules : « non »"},
        Case{"soit v = a et pas b\n", "écrivez « non b »"},
        Case{"soit v = (Pas b)\n", "écrivez « non b »"}}) {
    const Parsed p = parse(c.text);
    INFO(c.text << codes(p.sink));
    REQUIRE(has_code(p.sink, "E0001"));
    CHECK(find_code(p.sink, "E0001").hint.find(c.hint) != std::string::npos);
    CHECK(find_code(p.sink, "E0001").hint.find("guillemets") == std::string::npos);
  }
}

TEST_CASE("parse: a capitalised keyword before an operand is reported at the keyword",
          "[parse][errors]") {
  struct Case {
    const char* text;
    std::uint32_t column;  // of the capitalised keyword
    const char* keyword;
  };
  for (const Case& c :
       {Case{"soit v = a et Non b\n", 15, "« non »"}, Case{"soit v = Non b\n", 10, "« non »"},
        Case{"soit v = a ou NON b\n", 15, "« non »"},
        Case{"soit v = a et (Non b)\n", 16, "« non »"},
        Case{"soit v = a et Dans b\n", 15, "« dans »"}, Case{"soit v = a et Ou b\n", 15, "« ou »"},
        Case{"soit v = a Et b\n", 12, "« et »"}}) {
    const Parsed p = parse(c.text);
    INFO(c.text << codes(p.sink));
    CHECK(p.sink.error_count() == 1);
    REQUIRE(has_code(p.sink, "E0001"));
    const auto& d = find_code(p.sink, "E0001");
    CHECK(same_position(d.range, 1, c.column));
    CHECK(d.hint.find(std::string("en minuscules : ") + c.keyword) != std::string::npos);
  }
}

TEST_CASE("parse: a capitalised si or alors is one error, the rule still parses",
          "[parse][errors]") {
  const Parsed p =
      parse("décision d : C {\n  règle \"R\"\n    Si a et b\n    Alors x\n  sinon y\n}\n");
  INFO(codes(p.sink));
  CHECK(count_code(p.sink, "E0001") == 2);
  CHECK(find_code(p.sink, "E0001").hint.find("en minuscules : « si »") != std::string::npos);
  REQUIRE(p.file.decisions.size() == 1);
  CHECK(p.file.decisions[0].rules.size() == 1);
}

TEST_CASE("parse: one error for a condition left after et, a -- comment, a sinon without alors",
          "[parse][errors]") {
  const std::string rule = "décision d : C {\n  règle \"R\"\n    si a et\n    alors x\n";
  const Parsed dangling = parse(rule + "  règle \"S\" si b alors y\n  sinon z\n}\n");
  INFO(codes(dangling.sink));
  CHECK(dangling.sink.error_count() == 1);
  CHECK(find_code(dangling.sink, "E0001").message.find("il manque une condition après « et »") !=
        std::string::npos);

  const Parsed dashes = parse("soit v = m = idee -- commentaire\n");
  INFO(codes(dashes.sink));
  CHECK(dashes.sink.error_count() == 1);
  CHECK(find_code(dashes.sink, "E0003").hint.find("« // »") != std::string::npos);

  const Parsed fallback = parse("décision d : C {\n  sinon \"R4\"\n    z\n}\n");
  INFO(codes(fallback.sink));
  CHECK(fallback.sink.error_count() == 1);
  CHECK(find_code(fallback.sink, "E0001").message.find("attendu : « alors »") != std::string::npos);
}

TEST_CASE("parse: a narrow no-break space is a space, invisible and combining marks are named",
          "[parse][errors][utf8]") {
  const Parsed narrow = parse("soit v\u202F= a et b\n");
  INFO(codes(narrow.sink));
  CHECK_FALSE(narrow.sink.has_errors());

  const Parsed zero_width = parse("soit v = a et\u200B b\n");
  REQUIRE(has_code(zero_width.sink, "E0003"));
  CHECK(find_code(zero_width.sink, "E0003").message.find("espace sans chasse (U+200B)") !=
        std::string::npos);

  // `re` + U+0301 + `gle`: the accent is the mistake, not the word before it.
  const Parsed decomposed = parse("décision d : C {\n  re\u0301gle \"R\" si a alors x\n}\n");
  INFO(codes(decomposed.sink));
  REQUIRE(has_code(decomposed.sink, "E0003"));
  CHECK(find_code(decomposed.sink, "E0003").message.find("accent aigu combinant (U+0301)") !=
        std::string::npos);
  CHECK_FALSE(has_code(decomposed.sink, "E0001"));
}

TEST_CASE("parse: an unfinished last declaration says so, in agreement", "[parse][errors]") {
  const Parsed p = parse("soit a =");
  REQUIRE(has_code(p.sink, "E0001"));
  CHECK(find_code(p.sink, "E0001").message.rfind("fin du fichier inattendue", 0) == 0);
  CHECK(find_code(p.sink, "E0001").hint.find("inachevée") != std::string::npos);
}

TEST_CASE("parse: a name the file declares as Si stays a name", "[parse][errors]") {
  const Parsed p = parse("soit Si = vrai\nsoit v = a et Si\n");
  INFO(codes(p.sink));
  CHECK_FALSE(p.sink.has_errors());
}

TEST_CASE("parse: a semicolon gives E0003 with a hint", "[parse][errors]") {
  const Parsed p = parse("soit a = 1;\n");
  REQUIRE(has_code(p.sink, "E0003"));
  const auto& d = find_code(p.sink, "E0003");
  CHECK(d.range.column == 11);
  CHECK(d.hint.find("« ; »") != std::string::npos);
}

TEST_CASE("parse: at most one syntax error per line", "[parse][errors]") {
  const Parsed p = parse("soit = = = =\n");
  CHECK(count_code(p.sink, "E0001") == 1);
}

TEST_CASE("parse: comments are ignored", "[parse]") {
  const Parsed p = parse("// ligne\nsoit a = /* bloc */ 1 // fin\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.lets.size() == 1);
  CHECK(p.file.lets[0].name.range.line == 2);
}

TEST_CASE("parse: an unterminated block comment is reported, not swallowed", "[parse][errors]") {
  const Parsed p = parse("soit a = 1\n/* non fermé\nsoit b = 2\n");
  CHECK(count_code(p.sink, "E0002") == 1);
}

TEST_CASE("parse: a chain of 5000 `+` is refused with E0004, not a crash", "[parse][limits]") {
  std::string text = "soit v = 1";
  for (int i = 1; i < 5000; ++i) text += " + 1";
  const Parsed p = parse(text);
  INFO(codes(p.sink));
  CHECK(has_code(p.sink, "E0004"));
}

TEST_CASE("parse: a UTF-8 byte order mark and CRLF line ends are accepted", "[parse]") {
  const Parsed p = parse("\xEF\xBB\xBFsoit a = 1\r\nsoit é = a\r\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.lets.size() == 2);
  CHECK(same_position(p.file.lets[1].value->range, 2, 10));
  CHECK(same_position(p.file.lets[0].name.range, 1, 6));  // the BOM is not a column
}

TEST_CASE("parse: a soit may carry a label in words", "[parse]") {
  const Parsed p = parse("soit mature \"projet assez mûr\" : booléen = vrai\nsoit b = 1\n");
  INFO(codes(p.sink));
  REQUIRE_FALSE(p.sink.has_errors());
  REQUIRE(p.file.lets.size() == 2);
  CHECK(p.file.lets[0].label == "projet assez mûr");
  REQUIRE(p.file.lets[0].type.has_value());
  CHECK(p.file.lets[0].type->name.text == "booléen");
  CHECK(p.file.lets[1].label.empty());
}

TEST_CASE("parse: an unclosed parenthesis before the next soit points at the parenthesis",
          "[parse][brackets]") {
  const Parsed p = parse("soit a = (b et c\nsoit d = 1\n");
  REQUIRE(has_code(p.sink, "E0005"));
  const auto& d = find_code(p.sink, "E0005");
  CHECK(same_position(d.range, 1, 10));
  REQUIRE_FALSE(d.notes.empty());
  CHECK(same_position(d.notes[0].first, 2, 1));
}

// ------------------------------------------------------- line ends and excerpts

TEST_CASE("parse: a lone CR (classic Mac OS) ends a line like LF and CRLF", "[parse][position]") {
  const Parsed p = parse("soit a = vrai\rsoit b = non a\rsoit c = )\r");
  REQUIRE(has_code(p.sink, "E0005"));
  CHECK(same_position(find_code(p.sink, "E0005").range, 3, 10));

  const Parsed mixed = parse("soit a = 1\r\rsoit b = 2\r\nsoit c = 3\n\rsoit d = a\r");
  INFO(codes(mixed.sink));
  REQUIRE_FALSE(mixed.sink.has_errors());
  REQUIRE(mixed.file.lets.size() == 4);
  CHECK(same_position(mixed.file.lets[1].name.range, 3, 6));
  CHECK(same_position(mixed.file.lets[2].name.range, 4, 6));
  CHECK(same_position(mixed.file.lets[3].value->range, 6, 10));
}

TEST_CASE("parse: E0008 on a CR-only file is at the bad byte's line", "[parse][utf8][position]") {
  const Parsed p = parse("soit a = 1\rsoit b = \"caf\xE9\"\r");
  REQUIRE(has_code(p.sink, "E0008"));
  CHECK(same_position(find_code(p.sink, "E0008").range, 2, 14));
}

TEST_CASE("source: lines end at LF, CRLF or a lone CR, offsets unchanged", "[source][position]") {
  const tamis::SourceFile f("a.tamis", "un\rdeux\r\ntrois\n\rquatre\r\rcinq");
  REQUIRE(f.line_count() == 7);
  CHECK(f.line_text(1) == "un");
  CHECK(f.line_text(2) == "deux");
  CHECK(f.line_text(3) == "trois");
  CHECK(f.line_text(4).empty());
  CHECK(f.line_text(5) == "quatre");
  CHECK(f.line_text(6).empty());
  CHECK(f.line_text(7) == "cinq");
  CHECK(f.slice({0, 2, 1, 3, 2}) == "deux\r\ntr");
  CHECK(tamis::lone_cr_to_lf("a\rb\r\nc\r") == "a\nb\r\nc\n");
  CHECK(tamis::lone_cr_to_lf("a\r\r\n") == "a\n\r\n");
}

namespace {

std::string rendered(const std::string& text, SourceRange range, std::string message = "m") {
  SourceSet sources;
  range.file = sources.add("a.tamis", text);
  tamis::Diagnostic d{tamis::Severity::Error, "E0000", range, std::move(message), {}, {}};
  return tamis::render(d, sources);
}

}  // namespace

TEST_CASE("render: bytes that are not UTF-8 are shown as \\xNN, the caret still lines up",
          "[render]") {
  CHECK(rendered("soit b = \"caf\xE9\" et \xC3\xA9t\xC3\xA9\n", {0, 1, 14, 1, 14}) ==
        "a.tamis:1:14: erreur[E0000]: m\n"
        "    1 | soit b = \"caf\\xe9\" et été\n"
        "      |              ^\n");
  // After an escaped byte, the caret moves by the width of the escape.
  CHECK(rendered("\xE9\x80 x\x01\ty", {0, 1, 3, 1, 5}) ==
        "a.tamis:1:3: erreur[E0000]: m\n"
        "    1 | \\xe9\\x80 x? y\n"
        "      |          ^~~\n");
  // Messages too: never a raw control character or invalid byte on the terminal.
  CHECK(rendered("x\n", {}, "\x1B[31m\xFF") == "a.tamis: erreur[E0000]: ?[31m\\xff\n");
}

TEST_CASE("render: a line longer than 512 columns is cut to a window around the caret",
          "[render]") {
  std::string line(1000, 'a');
  line[500] = ')';
  const std::string out = rendered(line + "\n", {0, 1, 501, 1, 501});
  const std::string window = std::string(40, 'a') + ")" + std::string(79, 'a');
  CHECK(out ==
        "a.tamis:1:501: erreur[E0000]: m\n"
        "    1 | …" +
            window +
            "…\n"
            "      | " +
            std::string(41, ' ') + "^\n");
  // Near the start: no « … » on the left; near the end: the window ends with the line.
  const std::string start = rendered(line + "\n", {0, 1, 3, 1, 4});
  CHECK(start.find("    1 | " + std::string(120, 'a') + "…\n      |   ^~\n") != std::string::npos);
  const std::string end = rendered(line + "\n", {0, 1, 1000, 1, 1000});
  CHECK(end.find("    1 | …" + std::string(120, 'a') + "\n      | " + std::string(120, ' ') +
                 "^\n") != std::string::npos);
  // A range running past the window is cut at the « … ».
  const std::string wide = rendered(line + "\n", {0, 1, 1, 1, 1000});
  CHECK(wide.find("\n      | ^" + std::string(120, '~') + "\n") != std::string::npos);
  // Lines of up to 512 columns (as people write them) are shown whole.
  const std::string written = std::string(511, 'b') + "é";
  CHECK(rendered(written, {0, 1, 512, 1, 512}) ==
        "a.tamis:1:512: erreur[E0000]: m\n"
        "    1 | " +
            written +
            "\n"
            "      | " +
            std::string(511, ' ') + "^\n");
}

TEST_CASE("diagnostics: errors of one code beyond 20 per file are summarised", "[render]") {
  DiagnosticSink sink;
  for (std::uint32_t i = 1; i <= 25; ++i) sink.error("E0101", {0, 1, i, 1, i}, "a");
  for (std::uint32_t i = 1; i <= 3; ++i) sink.error("E0201", {0, 2, i, 2, i}, "b");
  for (std::uint32_t i = 1; i <= 21; ++i) sink.error("E0101", {1, 1, i, 1, i}, "c");
  for (std::uint32_t i = 1; i <= 30; ++i) sink.warning("W0401", {0, 3, i, 3, i}, "d");
  sink.sort();
  sink.limit_repeated_errors(20);
  CHECK(sink.error_count() == 49);  // every error still counts
  CHECK(count_code(sink, "E0101") == 40);
  CHECK(count_code(sink, "E0201") == 3);
  CHECK(count_code(sink, "W0401") == 30);  // warnings are not cut
  std::vector<std::string> notes;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < sink.all().size(); ++i) {
    const auto& d = sink.all()[i];
    if (d.severity != tamis::Severity::Note) continue;
    notes.push_back(d.message);
    where.push_back(i);
    CHECK_FALSE(d.range.valid());
  }
  REQUIRE(notes.size() == 2);
  CHECK(notes[0] == "… et 5 autres erreurs E0101 semblables dans ce fichier (non affichées)");
  CHECK(notes[1] == "… et 1 autre erreur E0101 semblable dans ce fichier (non affichée)");
  CHECK(where[0] == 20);  // right after the 20th error shown
  CHECK(sink.all()[where[1]].range.file == 1);

  SourceSet sources;
  sources.add("a.tamis", "x\n");
  CHECK(tamis::render(sink.all()[where[0]], sources) ==
        "a.tamis: note : … et 5 autres erreurs E0101 semblables dans ce fichier (non "
        "affichées)\n");
}

TEST_CASE("diagnostics: big counts in the summary note are grouped by thousands", "[render]") {
  DiagnosticSink sink;
  for (std::uint32_t i = 1; i <= 5000; ++i) sink.error("E0006", {0, 1, i, 1, i}, "a");
  sink.sort();
  sink.limit_repeated_errors(20);
  REQUIRE(sink.all().size() == 21);
  CHECK(sink.all().back().message ==
        "… et 4 980 autres erreurs E0006 semblables dans ce fichier (non affichées)");
}

TEST_CASE("render: stray continuation bytes go with the column after them, a few shown",
          "[render]") {
  // E0008 puts a stray continuation byte at the column after the previous character:
  // the caret is under the first escaped byte; a long run is cut after 4.
  CHECK(rendered("ab\x80\x81"
                 "cd",
                 {0, 1, 3, 1, 3}) ==
        "a.tamis:1:3: erreur[E0000]: m\n"
        "    1 | ab\\x80\\x81cd\n"
        "      |   ^\n");
  CHECK(rendered("a" + std::string(100, '\x80') + "b", {0, 1, 1, 1, 2}) ==
        "a.tamis:1:1: erreur[E0000]: m\n"
        "    1 | a\\x80\\x80\\x80\\x80…b\n"
        "      | ^" +
            std::string(18, '~') + "\n");
}

TEST_CASE("parse: a } too many inside any block is one error at that }", "[parse][errors]") {
  // Each block closed early at line 3; its own `}` is on line 5.
  for (const char* text : {
           "schéma D {\n  a : texte colonne \"A\"\n  }\n  b : texte colonne \"B\"\n}\n",
           "énumération E {\n  a \"A\"\n  }\n  b \"B\"\n}\n",
           "table T (x : texte) {\n  \"a\" | \"x\"\n  }\n  \"b\" | \"y\"\n}\n",
           "sortie {\n  \"a\" = a\n  }\n  \"b\" = b\n}\n",
           "test \"t\" {\n  a = 1\n  }\n  attendu d = x\n}\n",
           "décision d : C {\n  règle \"R\" si a alors x\n  }\n  sinon y\n}\n",
       }) {
    const Parsed p = parse(text);
    INFO(text << codes(p.sink));
    CHECK(p.sink.error_count() == 1);
    REQUIRE(has_code(p.sink, "E0005"));
    const auto& d = find_code(p.sink, "E0005");
    CHECK(same_position(d.range, 3, 3));
    CHECK(d.hint.find("accolade fermante en trop ?") != std::string::npos);
    CHECK(d.hint.find("se termine ligne 5") != std::string::npos);
  }
}
