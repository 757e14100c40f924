// The explanation as French text for a terminal or an e-mail. Reads only the
// JSON document, so stored explanations render the same way later.
#include <fmt/format.h>

#include "runtime/explain/explain.hpp"
#include "runtime/explain/wording.hpp"

namespace tamis::runtime {

using nlohmann::json;

namespace {

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string where(const json& position) {
  if (!position.is_object()) return {};
  return fmt::format("{}:{}", position.value("fichier", ""), position.value("ligne", 0));
}

// One line per condition, indented by depth: ✔/✘, the definition's words, the detail.
void condition_lines(const json& c, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(2 * depth), ' ');
  const bool value = c.value("valeur", false);
  std::string line = indent + (value ? wording::kHeld : wording::kFailed) + " ";
  const std::string definition = str(c, "definition");
  if (!definition.empty()) {
    line += definition;
    const std::string label = str(c, "libelle");
    if (!label.empty()) line += " — " + label;
  } else {
    line += str(c, "texte");
  }
  const std::string detail = str(c, "detail");
  if (definition.empty() && !detail.empty()) {
    line = indent + (value ? wording::kHeld : wording::kFailed) + " " +
           detail;  // the values say it all
  } else if (!detail.empty()) {
    line += " : " + detail;
  }
  out += line + "\n";
  if (auto it = c.find("enfants"); it != c.end()) {
    for (const auto& child : *it) condition_lines(child, depth + 1, out);
  }
}

void rule_source(const json& rule, int depth, std::string& out) {
  const std::string indent(static_cast<std::size_t>(2 * depth), ' ');
  std::string text = str(rule, "texte");
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    out += indent + "│ " + line + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

}  // namespace

std::string render_explanation_text(const json& e) {
  std::string out;
  const json& dossier = e.at("dossier");
  out += fmt::format("{} {}", wording::kDossier, dossier.value("id", "?"));
  if (!str(dossier, "fichier").empty()) {
    out += fmt::format(" — {} {} {} {}", wording::kLine, dossier.value("ligne", 0), wording::kOf,
                       str(dossier, "fichier"));
  }
  out += "\n";
  const json& rules = e.at("regles");
  out += fmt::format("{} : {}", wording::kRuleSet, str(rules, "nom"));
  if (!str(rules, "version").empty())
    out += fmt::format(" {} {}", wording::kVersion, str(rules, "version"));
  if (!str(rules, "empreinte").empty()) {
    out += fmt::format(" ({} {})", wording::kFingerprint, str(rules, "empreinte").substr(0, 12));
  }
  out += "\n";
  // Shown from the audit store: the run that recorded it and the campaign file it read.
  if (auto run = e.find("execution"); run != e.end() && run->is_object()) {
    out += fmt::format("{} : {} {} {} {} {} {} (Tamis {})\n", wording::kRun, wording::kRunNumber,
                       run->value("numero", 0), wording::kOnDate, str(*run, "date"),
                       wording::kInDatabase, str(*run, "base"), str(*run, "version_tamis"));
    if (auto input = run->find("entree"); input != run->end() && input->is_object()) {
      out += fmt::format("{} : {} ({} {})\n", wording::kInput, str(*input, "chemin"),
                         wording::kFingerprint, str(*input, "empreinte").substr(0, 12));
    }
  }

  for (const auto& d : e.at("decisions")) {
    out += "\n";
    out += fmt::format("{} : {} ({})\n", wording::decision_title(str(d, "decision")),
                       str(d, "libelle"), str(d, "valeur"));
    const json& rule = d.at("regle");
    if (rule.is_object()) {
      out += fmt::format("{} : « {} » — {}\n", wording::kDecidingRule, str(rule, "nom"),
                         where(rule.at("position")));
      rule_source(rule, 1, out);
      if (!str(rule, "motif").empty())
        out += fmt::format("  {} : {}\n", wording::kReason, str(rule, "motif"));
    } else {
      out += fmt::format("{}\n", wording::kNoRuleApplied);
    }
    if (d.contains("conditions") && d.at("conditions").is_object()) {
      out += fmt::format("  {} :\n", wording::kConditions);
      condition_lines(d.at("conditions"), 2, out);
    }
    const json& skipped = d.at("regles_non_appliquees");
    if (!skipped.empty()) {
      out += fmt::format("\n{} :\n", wording::kWhyNotEarlier);
      for (const auto& s : skipped) {
        const json& r = s.at("regle");
        out += fmt::format("  « {} » ({}) :\n", str(r, "nom"), where(r.at("position")));
        condition_lines(s.at("condition_en_echec"), 2, out);
      }
    }
    for (const auto& goal : d.at("pour_atteindre")) {
      out += fmt::format("\n{} « {} » ({} « {} »), {} :\n", wording::kToReach, str(goal, "libelle"),
                         wording::kRule, str(goal.at("regle"), "nom"), wording::kItWouldTake);
      for (const auto& m : goal.at("conditions_manquantes")) {
        const std::string label = str(m, "libelle");
        const std::string what = label.empty() ? str(m, "texte") : label;
        std::string detail = str(m, "detail");
        if (detail.empty() && m.contains("enfants") && !m.at("enfants").empty()) {
          detail = str(m.at("enfants")[0], "detail");
          if (detail.empty()) detail = str(m.at("enfants")[0], "texte");
        }
        out += fmt::format("  - {}{}\n", what, detail.empty() ? "" : " (" + detail + ")");
      }
    }
  }

  for (const auto& t : e.at("tables")) {
    out += fmt::format("\n{} « {} » ({} {}) :\n", wording::kLabelsOfColumn, str(t, "colonne"),
                       wording::kTable, str(t, "table"));
    if (t.at("libelles").empty()) out += fmt::format("  {}\n", wording::kNoLabel);
    for (const auto& item : t.at("libelles")) {
      const std::string status = str(item, "statut");
      if (status == "inconnu") {
        out += fmt::format("  « {} » → {}\n", str(item, "brut"), wording::kUnrecognised);
        continue;
      }
      for (const auto& row : item.at("lignes")) {
        const std::string how =
            wording::how_matched(status, str(item, "alias"), item.value("exact", false));
        std::vector<std::string> cols;
        for (const auto& col : row.at("colonnes"))
          cols.push_back(fmt::format("{} : {}", str(col, "nom"), str(col, "valeur")));
        out += fmt::format("  « {} » → {} ({}) — {}\n", str(item, "brut"), str(row, "cle"), how,
                           fmt::join(cols, " ; "));
      }
    }
  }
  return out;
}

}  // namespace tamis::runtime
