// The explanation as one self-contained HTML page (no script, no external
// resource) that a person can read on screen and print.
#include <fmt/format.h>

#include "runtime/explain/explain.hpp"
#include "runtime/explain/wording.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

using nlohmann::json;

namespace {

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string where(const json& position) {
  if (!position.is_object()) return {};
  return text::escape_html(
      fmt::format("{}:{}", position.value("fichier", ""), position.value("ligne", 0)));
}

void condition_item(const json& c, std::string& out) {
  const bool value = c.value("valeur", false);
  out += fmt::format("<li class=\"{}\"><span class=\"mark\" aria-label=\"{}\">{}</span> ",
                     value ? "held" : "failed", value ? "remplie" : "non remplie",
                     value ? wording::kHeld : wording::kFailed);
  const std::string definition = str(c, "definition");
  const std::string detail = str(c, "detail");
  if (!definition.empty()) {
    out += fmt::format("<code>{}</code>", text::escape_html(definition));
    if (!str(c, "libelle").empty()) out += " — " + text::escape_html(str(c, "libelle"));
    if (!detail.empty())
      out += fmt::format(" : <span class=\"detail\">{}</span>", text::escape_html(detail));
  } else if (!detail.empty()) {
    out += fmt::format("<span class=\"detail\">{}</span>",
                       text::escape_html(detail));  // the values say it all
  } else {
    out += fmt::format("<code>{}</code>", text::escape_html(str(c, "texte")));
  }
  if (auto it = c.find("enfants"); it != c.end() && !it->empty()) {
    out += "<ul>";
    for (const auto& child : *it) condition_item(child, out);
    out += "</ul>";
  }
  out += "</li>\n";
}

const char* kStyle = R"(
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
.outcome { font-size: 1.2rem; padding: .6rem 1rem; background: #eef3fb; border-left: 4px solid #2a5cad; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; }
ul { list-style: none; padding-left: 1.2rem; } li { margin: .2rem 0; }
.held .mark { color: #18753c; } .failed .mark { color: #c9191e; }
.detail { font-family: ui-monospace, monospace; font-size: .9em; }
table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; }
@media print { body { margin: 0; } .outcome { border: 1px solid #2a5cad; } }
)";

}  // namespace

std::string render_explanation_html(const json& e) {
  const json& dossier = e.at("dossier");
  const json& rules = e.at("regles");
  std::string out = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += fmt::format("<title>{} {}</title>\n<style>{}</style>\n</head>\n<body>\n",
                     wording::kDossier, text::escape_html(dossier.value("id", "?")), kStyle);
  out += fmt::format("<h1>{} {}</h1>\n", wording::kDossier,
                     text::escape_html(dossier.value("id", "?")));
  out += fmt::format("<p>{} {} — {} : {} {} {} ({} <code>{}</code>)</p>\n",
                     text::escape_html(str(dossier, "fichier")),
                     dossier.contains("ligne")
                         ? fmt::format("({} {})", wording::kLine, dossier.value("ligne", 0))
                         : "",
                     wording::kRuleSet, text::escape_html(str(rules, "nom")), wording::kVersion,
                     text::escape_html(str(rules, "version")), wording::kFingerprint,
                     text::escape_html(str(rules, "empreinte").substr(0, 12)));
  // Shown from the audit store: the run that recorded it and the campaign file it read.
  if (auto run = e.find("execution"); run != e.end() && run->is_object()) {
    out += fmt::format("<p class=\"provenance\">{} : {} {} {} {} {} <code>{}</code> (Tamis {})",
                       wording::kRun, wording::kRunNumber, run->value("numero", 0),
                       wording::kOnDate, text::escape_html(str(*run, "date")), wording::kInDatabase,
                       text::escape_html(str(*run, "base")),
                       text::escape_html(str(*run, "version_tamis")));
    if (auto input = run->find("entree"); input != run->end() && input->is_object()) {
      out += fmt::format("<br>{} : <code>{}</code> ({} <code>{}</code>)", wording::kInput,
                         text::escape_html(str(*input, "chemin")), wording::kFingerprint,
                         text::escape_html(str(*input, "empreinte").substr(0, 12)));
    }
    out += "</p>\n";
  }
  for (const auto& d : e.at("decisions")) {
    out += fmt::format("<p class=\"outcome\">{} : <strong>{}</strong> (<code>{}</code>)</p>\n",
                       text::escape_html(wording::decision_title(str(d, "decision"))),
                       text::escape_html(str(d, "libelle")), text::escape_html(str(d, "valeur")));
    const json& rule = d.at("regle");
    if (rule.is_object()) {
      out += fmt::format("<h2>{} : « {} »</h2>\n<p>{}</p>\n<pre>{}</pre>\n", wording::kDecidingRule,
                         text::escape_html(str(rule, "nom")), where(rule.at("position")),
                         text::escape_html(str(rule, "texte")));
      if (!str(rule, "motif").empty()) {
        out += fmt::format("<p>{} : {}</p>\n", wording::kReason,
                           text::escape_html(str(rule, "motif")));
      }
    } else {
      out += fmt::format("<p>{}</p>\n", wording::kNoRuleApplied);
    }
    if (d.contains("conditions") && d.at("conditions").is_object()) {
      out += fmt::format("<h2>{}</h2>\n<ul>", wording::kConditions);
      condition_item(d.at("conditions"), out);
      out += "</ul>\n";
    }
    if (!d.at("regles_non_appliquees").empty()) {
      out += fmt::format("<h2>{}</h2>\n", wording::kWhyNotEarlier);
      for (const auto& s : d.at("regles_non_appliquees")) {
        const json& r = s.at("regle");
        out += fmt::format("<h3>« {} » <small>{}</small></h3>\n<ul>",
                           text::escape_html(str(r, "nom")), where(r.at("position")));
        condition_item(s.at("condition_en_echec"), out);
        out += "</ul>\n";
      }
    }
    for (const auto& goal : d.at("pour_atteindre")) {
      out += fmt::format("<h2>{} « {} » ({} « {} »), {}</h2>\n<ul>", wording::kToReach,
                         text::escape_html(str(goal, "libelle")), wording::kRule,
                         text::escape_html(str(goal.at("regle"), "nom")), wording::kItWouldTake);
      for (const auto& m : goal.at("conditions_manquantes")) condition_item(m, out);
      out += "</ul>\n";
    }
  }
  for (const auto& t : e.at("tables")) {
    out += fmt::format("<h2>{} « {} »</h2>\n", wording::kLabelsOfColumn,
                       text::escape_html(str(t, "colonne")));
    out +=
        "<table>\n<thead><tr><th scope=\"col\">Libellé de l'export</th><th scope=\"col\">Ligne "
        "reconnue</th><th scope=\"col\">Comment</th><th "
        "scope=\"col\">Colonnes</th></tr></thead>\n<tbody>\n";
    for (const auto& item : t.at("libelles")) {
      if (str(item, "statut") == "inconnu") {
        out += fmt::format("<tr><td>{}</td><td colspan=\"3\">{}</td></tr>\n",
                           text::escape_html(str(item, "brut")), wording::kUnrecognised);
        continue;
      }
      for (const auto& row : item.at("lignes")) {
        std::string cols;
        for (const auto& col : row.at("colonnes")) {
          cols += fmt::format("{} : {}<br>", text::escape_html(str(col, "nom")),
                              text::escape_html(str(col, "valeur")));
        }
        out +=
            fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        text::escape_html(str(item, "brut")), text::escape_html(str(row, "cle")),
                        text::escape_html(wording::how_matched(
                            str(item, "statut"), str(item, "alias"), item.value("exact", false))),
                        cols);
      }
    }
    out += "</tbody>\n</table>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace tamis::runtime
