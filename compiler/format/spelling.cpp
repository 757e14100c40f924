#include "compiler/format/spelling.hpp"

#include <map>

namespace tamis::format {

const std::vector<KeywordSpelling>& keyword_spellings() {
  // In the order of the lexer rules of grammar/Tamis.g4 (the first wins a tie).
  static const std::vector<KeywordSpelling> spellings = {
      {"règles", Kw::Ruleset},
      {"regles", Kw::Ruleset},
      {"ruleset", Kw::Ruleset},
      {"étend", Kw::Extends},
      {"etend", Kw::Extends},
      {"extends", Kw::Extends},
      {"complète", Kw::Extend},
      {"complete", Kw::Extend},
      {"extend", Kw::Extend},
      {"remplace", Kw::Replace},
      {"replace", Kw::Replace},
      {"retire", Kw::Remove},
      {"remove", Kw::Remove},
      {"version", Kw::Version},
      {"code", Kw::Code},
      {"test", Kw::Test},
      {"attendu", Kw::Expect},
      {"expect", Kw::Expect},
      {"par", Kw::By},
      {"by", Kw::By},
      {"énumération", Kw::Enum},
      {"enumeration", Kw::Enum},
      {"enum", Kw::Enum},
      {"alias", Kw::Alias},
      {"schéma", Kw::Schema},
      {"schema", Kw::Schema},
      {"colonne", Kw::Column},
      {"column", Kw::Column},
      {"ensemble de", Kw::SetOf},
      {"set of", Kw::SetOf},
      {"table", Kw::Table},
      {"vide", Kw::Empty},
      {"empty", Kw::Empty},
      {"soit", Kw::Let},
      {"let", Kw::Let},
      {"décision", Kw::Decision},
      {"decision", Kw::Decision},
      {"première", Kw::First},
      {"premiere", Kw::First},
      {"first", Kw::First},
      {"unique", Kw::Unique},
      {"toutes", Kw::Collect},
      {"collect", Kw::Collect},
      {"règle", Kw::Rule},
      {"regle", Kw::Rule},
      {"rule", Kw::Rule},
      {"si", Kw::If},
      {"if", Kw::If},
      {"alors", Kw::Then},
      {"then", Kw::Then},
      {"sinon", Kw::Otherwise},
      {"otherwise", Kw::Otherwise},
      {"parce que", Kw::Because},
      {"because", Kw::Because},
      {"sortie", Kw::Output},
      {"output", Kw::Output},
      {"synthèse", Kw::Summary},
      {"synthese", Kw::Summary},
      {"summary", Kw::Summary},
      {"lignes", Kw::Rows},
      {"rows", Kw::Rows},
      {"colonnes", Kw::Columns},
      {"columns", Kw::Columns},
      {"n'est pas renseigné", Kw::IsNotSet},
      {"n'est pas renseigne", Kw::IsNotSet},
      {"non renseigné", Kw::IsNotSet},
      {"non renseigne", Kw::IsNotSet},
      {"n'est pas renseignée", Kw::IsNotSet},
      {"n'est pas renseignés", Kw::IsNotSet},
      {"n'est pas renseignées", Kw::IsNotSet},
      {"n'est pas renseignee", Kw::IsNotSet},
      {"n'est pas renseignes", Kw::IsNotSet},
      {"n'est pas renseignees", Kw::IsNotSet},
      {"non renseignée", Kw::IsNotSet},
      {"non renseignés", Kw::IsNotSet},
      {"non renseignées", Kw::IsNotSet},
      {"non renseignee", Kw::IsNotSet},
      {"non renseignes", Kw::IsNotSet},
      {"non renseignees", Kw::IsNotSet},
      {"is not set", Kw::IsNotSet},
      {"est renseigné", Kw::IsSet},
      {"est renseigne", Kw::IsSet},
      {"est renseignée", Kw::IsSet},
      {"est renseignés", Kw::IsSet},
      {"est renseignées", Kw::IsSet},
      {"est renseignee", Kw::IsSet},
      {"est renseignes", Kw::IsSet},
      {"est renseignees", Kw::IsSet},
      {"is set", Kw::IsSet},
      {"n'est pas vide", Kw::IsNotEmpty},
      {"non vide", Kw::IsNotEmpty},
      {"n'est pas vides", Kw::IsNotEmpty},
      {"non vides", Kw::IsNotEmpty},
      {"is not empty", Kw::IsNotEmpty},
      {"est vide", Kw::IsEmpty},
      {"est vides", Kw::IsEmpty},
      {"is empty", Kw::IsEmpty},
      {"pas dans", Kw::NotIn},
      {"not in", Kw::NotIn},
      {"par défaut", Kw::Default},
      {"par defaut", Kw::Default},
      {"default", Kw::Default},
      {"dans", Kw::In},
      {"in", Kw::In},
      {"contient", Kw::Contains},
      {"contains", Kw::Contains},
      {"et", Kw::And},
      {"and", Kw::And},
      {"ou", Kw::Or},
      {"or", Kw::Or},
      {"non", Kw::Not},
      {"not", Kw::Not},
      {"oui", Kw::True},
      {"vrai", Kw::True},
      {"true", Kw::True},
      {"yes", Kw::True},
      {"faux", Kw::False},
      {"false", Kw::False},
      {"no", Kw::False},
  };
  return spellings;
}

std::string canonical_keyword(const Token& token) {
  switch (token.kw) {
    case Kw::Ruleset:
      return "règles";
    case Kw::Extends:
      return "étend";
    case Kw::Extend:
      return "complète";
    case Kw::Replace:
      return "remplace";
    case Kw::Remove:
      return "retire";
    case Kw::Version:
      return "version";
    case Kw::Code:
      return "code";
    case Kw::Test:
      return "test";
    case Kw::Expect:
      return "attendu";
    case Kw::By:
      return "par";
    case Kw::Enum:
      return "énumération";
    case Kw::Alias:
      return "alias";
    case Kw::Schema:
      return "schéma";
    case Kw::Column:
      return "colonne";
    case Kw::SetOf:
      return "ensemble de";
    case Kw::Table:
      return "table";
    case Kw::Empty:
      return "vide";
    case Kw::Let:
      return "soit";
    case Kw::Decision:
      return "décision";
    case Kw::First:
      return "première";
    case Kw::Unique:
      return "unique";
    case Kw::Collect:
      return "toutes";
    case Kw::Rule:
      return "règle";
    case Kw::If:
      return "si";
    case Kw::Then:
      return "alors";
    case Kw::Otherwise:
      return "sinon";
    case Kw::Because:
      return "parce que";
    case Kw::Output:
      return "sortie";
    case Kw::Summary:
      return "synthèse";
    case Kw::Rows:
      return "lignes";
    case Kw::Columns:
      return "colonnes";
    case Kw::IsNotSet:
      return "n'est pas renseigné";
    case Kw::IsSet:
      return "est renseigné";
    case Kw::IsNotEmpty:
      return "n'est pas vide";
    case Kw::IsEmpty:
      return "est vide";
    case Kw::NotIn:
      return "pas dans";
    case Kw::Default:
      return "par défaut";
    case Kw::In:
      return "dans";
    case Kw::Contains:
      return "contient";
    case Kw::And:
      return "et";
    case Kw::Or:
      return "ou";
    case Kw::Not:
      return "non";
    case Kw::True:
      return token.text == "oui" || token.text == "yes" ? "oui" : "vrai";
    // Not "non" for "no": a bare `non` can also start a negation.
    case Kw::False:
      return token.text == "non" ? "non" : "faux";
    case Kw::None:
      break;
  }
  return token.text;
}

std::string canonical_type_name(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> names = {{"text", "texte"},
                                                                        {"integer", "entier"},
                                                                        {"decimal", "décimal"},
                                                                        {"boolean", "booléen"},
                                                                        {"booleen", "booléen"}};
  auto it = names.find(name);
  return it == names.end() ? std::string(name) : it->second;
}

std::string canonical_function_name(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> names = {
      {"count", "nombre"},        {"label", "libelle"},       {"libellé", "libelle"},
      {"rule_name", "nom_regle"}, {"nom_règle", "nom_regle"}, {"unrecognised", "non_reconnus"}};
  auto it = names.find(name);
  return it == names.end() ? std::string(name) : it->second;
}

// Mirrors Converter::unescape in compiler/syntax/ast_builder.cpp.
std::string unescape_string(std::string_view quoted) {
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

std::string quote_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\\r";
        break;  // no escape letter for it: a backslash keeps it legal
      default:
        out += c;
        break;
    }
  }
  out += '"';
  return out;
}

}  // namespace tamis::format
