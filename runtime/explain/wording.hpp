#pragma once
// The words of explanations, in one place so that text and HTML say the same thing.
#include <string>

namespace tamis::runtime::wording {

inline constexpr const char* kDossier = "Dossier";
inline constexpr const char* kLine = "ligne";
inline constexpr const char* kOf = "de";
inline constexpr const char* kVersion = "version";
inline constexpr const char* kFingerprint = "empreinte";
inline constexpr const char* kRuleSet = "Règles";
// The provenance of an explanation shown from the audit store (`execution`).
inline constexpr const char* kRun = "Exécution";
inline constexpr const char* kRunNumber = "n°";
inline constexpr const char* kOnDate = "du";
inline constexpr const char* kInDatabase = "dans";
inline constexpr const char* kInput = "Campagne lue";
inline constexpr const char* kDecidingRule = "Règle appliquée";
inline constexpr const char* kNoRuleApplied = "Aucune règle ne s'applique.";
inline constexpr const char* kReason = "Motif";
inline constexpr const char* kConditions = "Conditions";
inline constexpr const char* kWhyNotEarlier =
    "Règles précédentes non appliquées (première condition non remplie)";
inline constexpr const char* kToReach = "Pour obtenir";
inline constexpr const char* kRule = "règle";
inline constexpr const char* kItWouldTake = "il faudrait aussi";
inline constexpr const char* kLabelsOfColumn = "Libellés de la colonne";
inline constexpr const char* kTable = "table";
inline constexpr const char* kNoLabel = "(aucun libellé)";
inline constexpr const char* kUnrecognised = "non reconnu";
inline constexpr const char* kByExactName = "nom exact";
inline constexpr const char* kByName = "nom, écrit autrement (majuscules, accents ou espaces)";
inline constexpr const char* kWrittenOtherwise = "écrit autrement";
inline constexpr const char* kHeld = "✔";
inline constexpr const char* kFailed = "✘";

inline std::string decision_title(const std::string& name) {
  return "Résultat « " + name + " »";
}

// How a label of the export matched a table row, from the explanation's fields.
inline std::string how_matched(const std::string& status, const std::string& alias, bool exact) {
  if (status == "alias") {
    return "par l'alias « " + alias + " »" +
           (exact ? std::string() : std::string(", ") + kWrittenOtherwise);
  }
  return exact ? kByExactName : kByName;
}

}  // namespace tamis::runtime::wording
