#include "runtime/diff/diff_render.hpp"

#include <fmt/format.h>

#include <sstream>

#include "runtime/io/csv_writer.hpp"
#include "support/text.hpp"

namespace tamis::runtime {

using nlohmann::json;

namespace {

std::size_t cell(const CampaignDiff& d, const std::string& a, const std::string& b) {
  auto it = d.matrix.find({a, b});
  return it == d.matrix.end() ? 0 : it->second;
}

// Categories that occur on either side (the "rejeté" row/column only when used).
std::vector<std::string> used_categories(const CampaignDiff& d) {
  std::vector<std::string> out;
  for (const auto& c : d.categories) {
    bool used = c != "rejeté";
    for (const auto& [key, n] : d.matrix) used = used || key.first == c || key.second == c;
    if (used) out.push_back(c);
  }
  return out;
}

// The transition matrix as both renderers show it: the categories used, each cell, and
// the totals — a row's under the rules before, a column's under the rules after.
struct Matrix {
  std::vector<std::string> cats;
  std::vector<std::vector<std::size_t>> cells;  // [before][after]
  std::vector<std::size_t> row_totals;
  std::vector<std::size_t> column_totals;
  std::size_t total = 0;
};

Matrix transition_matrix(const CampaignDiff& d) {
  Matrix m;
  m.cats = used_categories(d);
  const std::size_t n = m.cats.size();
  m.cells.assign(n, std::vector<std::size_t>(n, 0));
  m.row_totals.assign(n, 0);
  m.column_totals.assign(n, 0);
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t c = 0; c < n; ++c) {
      const std::size_t count = cell(d, m.cats[r], m.cats[c]);
      m.cells[r][c] = count;
      m.row_totals[r] += count;
      m.column_totals[c] += count;
      m.total += count;
    }
  }
  return m;
}

std::string pad_left(const std::string& s, std::size_t width) {
  const std::size_t w = text::count_code_points(s);
  return std::string(width > w ? width - w : 0, ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
  const std::size_t w = text::count_code_points(s);
  return s + std::string(width > w ? width - w : 0, ' ');
}

std::string side(const std::string& category, const std::string& rule,
                 const std::string& rejected) {
  if (!rejected.empty()) return fmt::format("rejeté ({})", rejected);
  return rule.empty() ? category : fmt::format("{} par « {} »", category, rule);
}

// "cop2024 2024.1 (empreinte 1a2b3c4d5e6f)": two edits of one rule set keep their name
// and version, not their fingerprint.
std::string set_label(const std::string& name, const std::string& fingerprint) {
  if (fingerprint.empty()) return name;
  return fmt::format("{}{}(empreinte {})", name, name.empty() ? "" : " ",
                     fingerprint.substr(0, 12));
}

// What changed in the rules, as a title: "règle « R1 » de categorie modifiée",
// "ordre des règles de categorie modifié".
std::string rule_change_title(const RuleChange& c) {
  if (c.kind == "ordre") {
    return fmt::format("ordre des {}{} modifié", c.name, c.owner.empty() ? "" : " de " + c.owner);
  }
  std::string change = c.change;
  if (c.kind == "champ" && !change.empty() && change.back() == 'e')
    change.pop_back();  // "modifiée" → "modifié"
  const std::string what = c.owner.empty()
                               ? fmt::format("{} « {} »", c.kind, c.name)
                               : fmt::format("{} « {} » de {}", c.kind, c.name, c.owner);
  return what + " " + change;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// One step of a condition tree of the explanations: ✔/✘, the definition or the words.
std::string condition_step(const json& c, bool last) {
  std::string out = c.value("valeur", false) ? "✔ " : "✘ ";
  const std::string definition = str(c, "definition");
  const std::string detail = str(c, "detail");
  if (definition.empty()) return out + (detail.empty() ? str(c, "texte") : detail);
  out += definition;
  if (last && !str(c, "libelle").empty()) out += " (" + str(c, "libelle") + ")";
  return detail.empty() ? out : out + " : " + detail;
}

// A condition tree of the explanations on one line, down to the values that decided:
// "✘ non levier_reconnu › ✔ levier_reconnu (…) : leviers = {…} n'est pas vide". An `et`
// without a name of its own is skipped: down a failing one, its failing part is shown.
std::string compact_condition(const json& c) {
  std::vector<std::string> steps;
  const json* n = &c;
  while (true) {
    const auto kids = n->find("enfants");
    const std::size_t count = kids == n->end() || !kids->is_array() ? 0 : kids->size();
    if (count == 1 && str(*n, "definition").empty() && str(*n, "connecteur") == "et") {
      n = &(*kids)[0];
      continue;
    }
    steps.push_back(condition_step(*n, count == 0));
    if (count == 1) {
      n = &(*kids)[0];
      continue;
    }
    if (count > 1) {
      std::vector<std::string> parts;
      for (const auto& kid : *kids) parts.push_back(compact_condition(kid));
      steps.back() += fmt::format(" [{}]", fmt::join(parts, " ; "));
    }
    break;
  }
  return fmt::format("{}", fmt::join(steps, " › "));
}

// Why the deciding rule changed, in one sentence.
std::string reason_text(const RuleReason& r) {
  const json* failing = nullptr;
  if (r.explanation.is_object()) {
    if (auto it = r.explanation.find("condition_en_echec"); it != r.explanation.end())
      failing = &*it;
  }
  const std::string why = failing ? " : " + compact_condition(*failing) : "";
  if (r.kind == "ne s'applique plus")
    return fmt::format("« {} » ne s'applique plus{}", r.rule, why);
  if (r.kind == "ne s'appliquait pas")
    return fmt::format("« {} » ne s'appliquait pas avant{}", r.rule, why);
  if (r.kind == "ajoutée") return fmt::format("« {} » est une règle ajoutée", r.rule);
  if (r.kind == "retirée") return fmt::format("« {} » a été retirée", r.rule);
  if (r.kind == "ordre") {
    return fmt::format("« {} » s'appliquait déjà, mais passe désormais devant « {} »", r.rule,
                       r.other);
  }
  if (r.kind == "résultat") {
    return fmt::format("« {} » décide des deux côtés, mais son résultat a changé", r.rule);
  }
  return fmt::format("« {} » : {}", r.rule, r.kind);
}

std::string value_change_text(const ValueChange& v) {
  return fmt::format("{} : « {} » → « {} »", v.name, v.before, v.after);
}

}  // namespace

std::string render_diff_text(const CampaignDiff& d) {
  std::string out =
      fmt::format("Comparaison : {} → {}\n{} dossier(s) lu(s), {} dont le résultat change\n\n",
                  set_label(d.before_name, d.before_fingerprint),
                  set_label(d.after_name, d.after_fingerprint), d.rows_read, d.rows_changed);
  const Matrix m = transition_matrix(d);
  const auto& cats = m.cats;
  std::size_t first = std::max<std::size_t>(12, text::count_code_points(d.before_name) + 2);
  for (const auto& c : cats) first = std::max(first, text::count_code_points(c));
  std::vector<std::size_t> widths;
  for (const auto& c : cats) widths.push_back(std::max<std::size_t>(6, text::count_code_points(c)));
  out += fmt::format("Matrice de passage de « {} » (lignes : {}, colonnes : {})\n\n", d.decision,
                     d.before_name, d.after_name);
  std::string line = pad_right("", first);
  for (std::size_t i = 0; i < cats.size(); ++i) line += "  " + pad_left(cats[i], widths[i]);
  line += "   TOTAL";
  out += line + "\n" + std::string(text::count_code_points(line), '-') + "\n";
  for (std::size_t r = 0; r < cats.size(); ++r) {
    line = pad_right(cats[r], first);
    for (std::size_t i = 0; i < cats.size(); ++i)
      line += "  " + pad_left(std::to_string(m.cells[r][i]), widths[i]);
    out += line + "  " + pad_left(std::to_string(m.row_totals[r]), 6) + "\n";
  }
  line = pad_right("TOTAL", first);
  for (std::size_t i = 0; i < cats.size(); ++i)
    line += "  " + pad_left(std::to_string(m.column_totals[i]), widths[i]);
  line += "  " + pad_left(std::to_string(m.total), 6);
  out += std::string(text::count_code_points(line), '-') + "\n" + line + "\n\n";

  out += fmt::format("Différences des règles ({})\n", d.rule_changes.size());
  if (d.rule_changes.empty()) out += "  aucune\n";
  for (const auto& c : d.rule_changes) {
    out += "  " + rule_change_title(c);
    if (!c.where_after.empty())
      out += fmt::format(" ({})", c.where_after);
    else if (!c.where_before.empty())
      out += fmt::format(" ({})", c.where_before);
    out += "\n";
    if (c.change == "modifiée")
      out += fmt::format("      avant : {}\n      après : {}\n", c.before, c.after);
  }
  out += "\n";

  out += fmt::format("Dossiers dont le résultat change ({})\n", d.changes.size());
  for (const auto& ch : d.changes) {
    out += fmt::format("\n  Dossier {} (ligne {})\n", ch.id, ch.line);
    out += fmt::format("    avant : {}\n",
                       side(ch.category_before, ch.rule_before, ch.rejected_before));
    out +=
        fmt::format("    après : {}\n", side(ch.category_after, ch.rule_after, ch.rejected_after));
    for (const auto& r : ch.reasons) out += fmt::format("    pourquoi : {}\n", reason_text(r));
    for (const auto& v : ch.outputs) out += "    " + value_change_text(v) + "\n";
    if (!ch.definitions.empty()) out += "    définitions dont la valeur change :\n";
    for (const auto& v : ch.definitions) {
      out +=
          fmt::format("      {}{} : {} → {}\n", v.name, v.label.empty() ? "" : " (" + v.label + ")",
                      v.before.empty() ? "(vide)" : v.before, v.after.empty() ? "(vide)" : v.after);
    }
  }
  return out;
}

std::string render_diff_csv(const CampaignDiff& d) {
  std::ostringstream out;
  io::write_csv_row(
      out, {"ID", "ligne", "categorie_avant", "categorie_apres", "regle_avant", "regle_apres",
            "colonnes_changees", "definitions_changees", "rejet_avant", "rejet_apres", "pourquoi"});
  for (const auto& ch : d.changes) {
    std::vector<std::string> outputs, definitions, reasons;
    for (const auto& r : ch.reasons) reasons.push_back(reason_text(r));
    for (const auto& v : ch.outputs)
      outputs.push_back(fmt::format("{}: {} → {}", v.name, v.before, v.after));
    for (const auto& v : ch.definitions)
      definitions.push_back(fmt::format("{}: {} → {}", v.name, v.before, v.after));
    io::write_csv_row(
        out, {ch.id, std::to_string(ch.line), ch.category_before, ch.category_after, ch.rule_before,
              ch.rule_after, fmt::format("{}", fmt::join(outputs, " ; ")),
              fmt::format("{}", fmt::join(definitions, " ; ")), ch.rejected_before,
              ch.rejected_after, fmt::format("{}", fmt::join(reasons, " ; "))});
  }
  return out.str();
}

json diff_to_json(const CampaignDiff& d) {
  json j;
  j["schema"] = "tamis.comparaison/1";
  j["avant"] = d.before_name;
  j["apres"] = d.after_name;
  j["empreinte_avant"] = d.before_fingerprint;
  j["empreinte_apres"] = d.after_fingerprint;
  j["decision"] = d.decision;
  j["dossiers_lus"] = d.rows_read;
  j["dossiers_changes"] = d.rows_changed;
  json matrix = json::array();
  for (const auto& [key, n] : d.matrix)
    matrix.push_back({{"avant", key.first}, {"apres", key.second}, {"dossiers", n}});
  j["matrice"] = matrix;
  json rules = json::array();
  for (const auto& c : d.rule_changes) {
    rules.push_back({{"genre", c.kind},
                     {"dans", c.owner},
                     {"nom", c.name},
                     {"changement", c.change},
                     {"avant", c.before},
                     {"apres", c.after},
                     {"position_avant", c.where_before},
                     {"position_apres", c.where_after}});
  }
  j["regles"] = rules;
  json changes = json::array();
  for (const auto& ch : d.changes) {
    auto values = [](const std::vector<ValueChange>& vs) {
      json a = json::array();
      for (const auto& v : vs)
        a.push_back(
            {{"nom", v.name}, {"libelle", v.label}, {"avant", v.before}, {"apres", v.after}});
      return a;
    };
    auto reasons = [](const std::vector<RuleReason>& rs) {
      json a = json::array();
      for (const auto& r : rs) {
        json o = {{"genre", r.kind},
                  {"regle", r.rule},
                  {"cote", r.side == "après" ? "apres" : r.side},
                  {"explication", r.explanation},
                  {"texte", reason_text(r)}};
        if (!r.other.empty()) o["autre_regle"] = r.other;
        a.push_back(std::move(o));
      }
      return a;
    };
    changes.push_back({{"id", ch.id},
                       {"ligne", ch.line},
                       {"avant",
                        {{"categorie", ch.category_before},
                         {"regle", ch.rule_before},
                         {"rejet", ch.rejected_before}}},
                       {"apres",
                        {{"categorie", ch.category_after},
                         {"regle", ch.rule_after},
                         {"rejet", ch.rejected_after}}},
                       {"colonnes", values(ch.outputs)},
                       {"definitions", values(ch.definitions)},
                       {"pourquoi", reasons(ch.reasons)}});
  }
  j["dossiers"] = changes;
  return j;
}

std::string render_diff_html(const CampaignDiff& d) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Comparaison "
      "des règles</title>\n"
      "<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 "
      "1rem;color:#1b1b1b}"
      "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem "
      ".6rem;text-align:left}"
      "td.n{text-align:right}.diag{background:#eef3fb}code{font-size:.9em}</style>\n</"
      "head>\n<body>\n";
  out += fmt::format(
      "<h1>Comparaison : {} → {}</h1>\n<p>{} dossier(s) lu(s), {} dont le résultat change.</p>\n",
      text::escape_html(set_label(d.before_name, d.before_fingerprint)),
      text::escape_html(set_label(d.after_name, d.after_fingerprint)), d.rows_read, d.rows_changed);
  const Matrix m = transition_matrix(d);
  out += fmt::format(
      "<h2>Matrice de passage de « {} »</h2>\n<table>\n<caption>Lignes : {} ; colonnes : "
      "{}</caption>\n<tr><th scope=\"col\"></th>",
      text::escape_html(d.decision), text::escape_html(d.before_name),
      text::escape_html(d.after_name));
  for (const auto& c : m.cats)
    out += fmt::format("<th scope=\"col\">{}</th>", text::escape_html(c));
  out += "<th scope=\"col\">TOTAL</th></tr>\n";
  for (std::size_t r = 0; r < m.cats.size(); ++r) {
    out += fmt::format("<tr><th scope=\"row\">{}</th>", text::escape_html(m.cats[r]));
    for (std::size_t c = 0; c < m.cats.size(); ++c)
      out += fmt::format("<td class=\"n{}\">{}</td>", r == c ? " diag" : "", m.cells[r][c]);
    out += fmt::format("<td class=\"n\">{}</td></tr>\n", m.row_totals[r]);
  }
  out += "<tr><th scope=\"row\">TOTAL</th>";
  for (const std::size_t n : m.column_totals) out += fmt::format("<td class=\"n\">{}</td>", n);
  out += fmt::format("<td class=\"n\">{}</td></tr>\n", m.total);
  out +=
      "</table>\n<h2>Différences des règles</h2>\n<table>\n<tr><th scope=\"col\">Élément</th><th "
      "scope=\"col\">Changement</th><th scope=\"col\">Avant</th><th "
      "scope=\"col\">Après</th></tr>\n";
  for (const auto& c : d.rule_changes) {
    const std::string position = c.where_after.empty() ? c.where_before : c.where_after;
    out += fmt::format(
        "<tr><td>{}{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>\n",
        text::escape_html(rule_change_title(c)),
        position.empty() ? "" : " <small>(" + text::escape_html(position) + ")</small>",
        text::escape_html(c.change), text::escape_html(c.before), text::escape_html(c.after));
  }
  out +=
      "</table>\n<h2>Dossiers dont le résultat change</h2>\n<table>\n<tr><th "
      "scope=\"col\">Dossier</th><th scope=\"col\">Avant</th><th scope=\"col\">Après</th><th "
      "scope=\"col\">Pourquoi</th><th scope=\"col\">Colonnes qui changent</th><th "
      "scope=\"col\">Définitions qui changent</th></tr>\n";
  for (const auto& ch : d.changes) {
    std::string reasons, columns, defs;
    for (const auto& r : ch.reasons) reasons += text::escape_html(reason_text(r)) + "<br>";
    for (const auto& v : ch.outputs) columns += text::escape_html(value_change_text(v)) + "<br>";
    for (const auto& v : ch.definitions)
      defs += fmt::format("{} : {} → {}<br>", text::escape_html(v.name),
                          text::escape_html(v.before), text::escape_html(v.after));
    out +=
        fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                    text::escape_html(ch.id),
                    text::escape_html(side(ch.category_before, ch.rule_before, ch.rejected_before)),
                    text::escape_html(side(ch.category_after, ch.rule_after, ch.rejected_after)),
                    reasons, columns, defs);
  }
  return out + "</table>\n</body>\n</html>\n";
}

}  // namespace tamis::runtime
