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

}  // namespace

std::string render_diff_text(const CampaignDiff& d) {
  std::string out =
      fmt::format("Comparaison : {} → {}\n{} dossier(s) lu(s), {} dont le résultat change\n\n",
                  d.before_name, d.after_name, d.rows_read, d.rows_changed);
  const auto cats = used_categories(d);
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
  for (const auto& a : cats) {
    line = pad_right(a, first);
    std::size_t total = 0;
    for (std::size_t i = 0; i < cats.size(); ++i) {
      const std::size_t n = cell(d, a, cats[i]);
      total += n;
      line += "  " + pad_left(std::to_string(n), widths[i]);
    }
    out += line + "  " + pad_left(std::to_string(total), 6) + "\n";
  }
  out += "\n";

  out += fmt::format("Différences des règles ({})\n", d.rule_changes.size());
  if (d.rule_changes.empty()) out += "  aucune\n";
  for (const auto& c : d.rule_changes) {
    const std::string what = c.owner.empty()
                                 ? fmt::format("{} « {} »", c.kind, c.name)
                                 : fmt::format("{} « {} » de {}", c.kind, c.name, c.owner);
    out += fmt::format("  {} {}", what, c.change);
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
    for (const auto& v : ch.outputs) {
      out += fmt::format("    {} : « {} » → « {} »\n", v.name, v.before, v.after);
    }
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
            "colonnes_changees", "definitions_changees", "rejet_avant", "rejet_apres"});
  for (const auto& ch : d.changes) {
    std::vector<std::string> outputs, definitions;
    for (const auto& v : ch.outputs)
      outputs.push_back(fmt::format("{}: {} → {}", v.name, v.before, v.after));
    for (const auto& v : ch.definitions)
      definitions.push_back(fmt::format("{}: {} → {}", v.name, v.before, v.after));
    io::write_csv_row(
        out,
        {ch.id, std::to_string(ch.line), ch.category_before, ch.category_after, ch.rule_before,
         ch.rule_after, fmt::format("{}", fmt::join(outputs, " ; ")),
         fmt::format("{}", fmt::join(definitions, " ; ")), ch.rejected_before, ch.rejected_after});
  }
  return out.str();
}

json diff_to_json(const CampaignDiff& d) {
  json j;
  j["schema"] = "tamis.comparaison/1";
  j["avant"] = d.before_name;
  j["apres"] = d.after_name;
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
                       {"definitions", values(ch.definitions)}});
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
      text::escape_html(d.before_name), text::escape_html(d.after_name), d.rows_read,
      d.rows_changed);
  const auto cats = used_categories(d);
  out += fmt::format(
      "<h2>Matrice de passage de « {} »</h2>\n<table>\n<caption>Lignes : {} ; colonnes : "
      "{}</caption>\n<tr><th scope=\"col\"></th>",
      text::escape_html(d.decision), text::escape_html(d.before_name),
      text::escape_html(d.after_name));
  for (const auto& c : cats) out += fmt::format("<th scope=\"col\">{}</th>", text::escape_html(c));
  out += "</tr>\n";
  for (const auto& a : cats) {
    out += fmt::format("<tr><th scope=\"row\">{}</th>", text::escape_html(a));
    for (const auto& b : cats) {
      out += fmt::format("<td class=\"n{}\">{}</td>", a == b ? " diag" : "", cell(d, a, b));
    }
    out += "</tr>\n";
  }
  out +=
      "</table>\n<h2>Différences des règles</h2>\n<table>\n<tr><th scope=\"col\">Élément</th><th "
      "scope=\"col\">Changement</th><th scope=\"col\">Avant</th><th "
      "scope=\"col\">Après</th></tr>\n";
  for (const auto& c : d.rule_changes) {
    out += fmt::format(
        "<tr><td>{} « {} "
        "»{}</td><td>{}</td><td><code>{}</code></td><td><code>{}</code></td></tr>\n",
        text::escape_html(c.kind), text::escape_html(c.name),
        c.owner.empty() ? "" : " de " + text::escape_html(c.owner), text::escape_html(c.change),
        text::escape_html(c.before), text::escape_html(c.after));
  }
  out +=
      "</table>\n<h2>Dossiers dont le résultat change</h2>\n<table>\n<tr><th "
      "scope=\"col\">Dossier</th><th scope=\"col\">Avant</th><th scope=\"col\">Après</th><th "
      "scope=\"col\">Définitions qui changent</th></tr>\n";
  for (const auto& ch : d.changes) {
    std::string defs;
    for (const auto& v : ch.definitions)
      defs += fmt::format("{} : {} → {}<br>", text::escape_html(v.name),
                          text::escape_html(v.before), text::escape_html(v.after));
    out += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", text::escape_html(ch.id),
        text::escape_html(side(ch.category_before, ch.rule_before, ch.rejected_before)),
        text::escape_html(side(ch.category_after, ch.rule_after, ch.rejected_after)), defs);
  }
  return out + "</table>\n</body>\n</html>\n";
}

}  // namespace tamis::runtime
