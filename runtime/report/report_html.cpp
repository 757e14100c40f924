#include "runtime/report/report_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "support/text.hpp"

namespace tamis::runtime::report {

namespace {

// Colours of the columns of two-axis tables, in column order (distinct hues, each dark
// or light enough for its label); the missing value is grey.
constexpr std::array<const char*, 10> kPalette = {"#1f5fa8", "#f2a541", "#2a9d8f", "#c8553d",
                                                  "#7b5ea7", "#8ab17d", "#e76f51", "#4f6d7a",
                                                  "#e9c46a", "#b56576"};
constexpr const char* kMissingColour = "#a8adb4";
constexpr const char* kBarColour = "#1f5fa8";

// Charts are drawn in a fixed coordinate system and scaled to the page width.
constexpr double kChartWidth = 860;
constexpr double kCharWidth = 6.8;  // average width of a 12 px sans-serif character
constexpr std::size_t kMaxChartLabel = 52;
// A bar chart draws at most this many bars (the longest, and the missing value); the
// table below it has every row.
constexpr std::size_t kMaxBars = 60;

// HTML text and attributes; this page has always escaped apostrophes too.
std::string escape(std::string_view s) {
  return text::escape_html(s, true);
}

// The first `max` code points of `s`, with an ellipsis when cut.
std::string shorten(const std::string& s, std::size_t max) {
  if (text::count_code_points(s) <= max) return s;
  std::size_t points = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == max - 1) break;
      ++points;
    }
  }
  return s.substr(0, i) + "…";
}

std::string colour(std::size_t column, const std::string& code) {
  return code.empty() ? kMissingColour : kPalette[column % kPalette.size()];
}

// Dark text on light colours, white text on dark ones.
const char* ink_on(std::string_view hex) {
  auto channel = [&](std::size_t at) {
    const double v = std::stoi(std::string(hex.substr(at, 2)), nullptr, 16) / 255.0;
    return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
  };
  const double luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.35 ? "#1b1f24" : "#ffffff";
}

std::string num(double v) {
  return fmt::format("{:.1f}", v);
}

std::string count_cell(std::size_t n, const char* cls = nullptr) {
  return fmt::format("<td{} data-value=\"{}\">{}</td>",
                     cls ? fmt::format(" class=\"{}\"", cls) : "", n, format_count(n));
}

std::string percent_cell(double fraction, const char* cls = nullptr) {
  return fmt::format("<td{} data-value=\"{:.4f}\">{}</td>",
                     cls ? fmt::format(" class=\"{}\"", cls) : "", fraction,
                     format_percent(fraction));
}

std::string figure_cell(const std::optional<double>& v) {
  if (!v) return "<td class=\"empty\"></td>";
  return fmt::format("<td data-value=\"{}\">{}</td>", *v, format_figure(*v));
}

std::string row_header(const ReportRow& row) {
  return fmt::format("<th scope=\"row\"{}>{}</th>", row.code.empty() ? " class=\"missing\"" : "",
                     escape(row.label));
}

// ---------------------------------------------------------------- two-axis tables

std::string legend(const ReportSection& s) {
  std::string out = "<ul class=\"legend\" aria-hidden=\"true\">";
  for (std::size_t c = 0; c < s.column_labels.size(); ++c) {
    out += fmt::format("<li><span class=\"swatch\" style=\"background:{}\"></span>{}</li>",
                       colour(c, s.column_codes[c]), escape(s.column_labels[c]));
  }
  return out + "</ul>\n";
}

// One horizontal 100 % bar per row and one for the total, split by column.
std::string stacked_chart(const ReportSection& s, const std::string& id) {
  std::size_t longest = 5;
  for (const auto& r : s.rows) longest = std::max(longest, text::count_code_points(r.label));
  longest = std::min(longest, kMaxChartLabel);
  const double label_width =
      std::clamp(kCharWidth * static_cast<double>(longest) + 14, 90.0, 330.0);
  const double x0 = label_width, bar_width = kChartWidth - label_width - 16;
  constexpr double kRow = 30, kBar = 20, kTop = 8;
  const double total_y = kTop + kRow * static_cast<double>(s.rows.size()) + 8;
  const double axis_y = total_y + kRow;
  const double height = axis_y + 22;

  std::string desc;
  auto describe = [&](const std::string& label, auto share_of) {
    desc += label + " : ";
    for (std::size_t c = 0; c < s.column_labels.size(); ++c) {
      desc += fmt::format("{}{} {}", c > 0 ? ", " : "", s.column_labels[c],
                          format_percent(share_of(c)));
    }
    desc += ". ";
  };
  for (std::size_t r = 0; r < s.rows.size(); ++r)
    describe(s.rows[r].label, [&](std::size_t c) { return s.row_share(r, c); });
  describe(wording::kTotal, [&](std::size_t c) { return s.total_share(c); });

  std::string out = fmt::format(
      "<svg class=\"chart chart-stacked\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-labelledby=\"{}-titre {}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n"
      "<title id=\"{}-titre\">{} — {} et au total</title>\n<desc id=\"{}-desc\">{}</desc>\n",
      num(kChartWidth), num(height), id, id, id, escape(wording::weights_title(s)),
      escape(fmt::format("par {}", s.row_title)), id, escape(desc));
  // Grid and axis.
  out += "<g class=\"grid\" aria-hidden=\"true\">";
  // With a set in the columns a row's shares can add up to more than 100 %: the scale
  // then runs to the longest bar, in steps of 25 %.
  double longest_bar = 1.0;
  for (std::size_t r = 0; r <= s.rows.size(); ++r) {
    double sum = 0;
    for (std::size_t c = 0; c < s.column_labels.size(); ++c)
      sum += r < s.rows.size() ? s.row_share(r, c) : s.total_share(c);
    longest_bar = std::max(longest_bar, sum);
  }
  const int steps = static_cast<int>(std::ceil(longest_bar * 4 - 1e-9));
  const double scale = steps / 4.0;
  for (int k = 0; k <= steps; ++k) {
    const double x = x0 + bar_width * k / 4.0 / scale;
    out += fmt::format(
        "<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/><text x=\"{0}\" y=\"{3}\" "
        "text-anchor=\"middle\">{4}\u00a0%</text>",
        num(x), num(kTop - 4), num(axis_y), num(axis_y + 15), k * 25);
  }
  out += "</g>\n";
  auto bar = [&](double y, const std::string& label, bool total, auto count_of, auto share_of) {
    out += fmt::format("<g class=\"bar-row{}\">", total ? " total" : "");
    out += fmt::format(
        "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\" dominant-baseline=\"middle\">"
        "{}</text>",
        num(x0 - 8), num(y + kBar / 2), escape(shorten(label, kMaxChartLabel)));
    double x = x0;
    for (std::size_t c = 0; c < s.column_labels.size(); ++c) {
      const double share = share_of(c);
      const double w = bar_width * share / scale;
      if (w <= 0) continue;
      const std::string fill = colour(c, s.column_codes[c]);
      out += fmt::format(
          "<rect class=\"segment\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\">"
          "<title>{} — {} : {} ({})</title></rect>",
          num(x), num(y), num(w), num(kBar), fill, escape(label), escape(s.column_labels[c]),
          format_count(count_of(c)), format_percent(share));
      std::string text;
      if (w >= 50) {
        text = format_percent(share);
      } else if (w >= 30) {
        text = fmt::format("{:.0f}\u00a0%", 100.0 * share);
      }
      if (!text.empty()) {
        out += fmt::format(
            "<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" "
            "dominant-baseline=\"middle\" fill=\"{}\" aria-hidden=\"true\">{}</text>",
            num(x + w / 2), num(y + kBar / 2), ink_on(fill), text);
      }
      x += w;
    }
    out += "</g>\n";
  };
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    bar(
        kTop + kRow * static_cast<double>(r), s.rows[r].label, false,
        [&](std::size_t c) { return s.rows[r].counts[c]; },
        [&](std::size_t c) { return s.row_share(r, c); });
  }
  out += fmt::format("<line class=\"separator\" x1=\"0\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>\n",
                     num(kChartWidth), num(total_y - 5), num(total_y - 5));
  bar(
      total_y, wording::kTotal, true, [&](std::size_t c) { return s.column_totals[c]; },
      [&](std::size_t c) { return s.total_share(c); });
  return out + "</svg>\n";
}

std::string cross_section(const ReportSection& s, const std::string& id) {
  const bool codes = s.codes_differ();
  std::string head = fmt::format("<th scope=\"col\" class=\"label\">{}</th>", escape(s.row_title));
  if (codes) head = fmt::format("<th scope=\"col\" class=\"label\">{}</th>", wording::kCode) + head;
  for (std::size_t c = 0; c < s.column_labels.size(); ++c) {
    head += fmt::format("<th scope=\"col\"{}>{}</th>",
                        s.column_codes[c].empty()
                            ? ""
                            : fmt::format(" data-code=\"{}\"", escape(s.column_codes[c])),
                        escape(s.column_labels[c]));
  }
  head += fmt::format("<th scope=\"col\" class=\"total\">{}</th>", wording::kTotal);
  std::string figures_head;
  for (const auto& f : s.figure_names)
    figures_head += fmt::format("<th scope=\"col\">{}</th>", escape(f));

  auto code_cell = [&](const std::string& code) {
    return codes ? fmt::format("<td class=\"code\">{}</td>", escape(code)) : std::string();
  };
  std::string out = fmt::format(
      "<div class=\"table-wrap\"><table class=\"counts\" id=\"{}-effectifs\">\n<caption>Nombre de "
      "dossiers par {} et par {}</caption>\n<thead><tr>{}{}</tr></thead>\n<tbody>\n",
      id, escape(s.row_title), escape(s.column_title), head, figures_head);
  for (const auto& r : s.rows) {
    out +=
        fmt::format("<tr data-code=\"{}\"{}>{}{}", escape(r.code),
                    r.code.empty() ? " class=\"missing\"" : "", code_cell(r.code), row_header(r));
    for (auto n : r.counts) out += count_cell(n);
    out += count_cell(r.total, "total");
    for (const auto& f : r.figures) out += figure_cell(f);
    out += "</tr>\n";
  }
  out += fmt::format("</tbody>\n<tfoot><tr data-code=\"TOTAL\">{}<th scope=\"row\">{}</th>",
                     codes ? "<td></td>" : "", wording::kTotal);
  for (auto n : s.column_totals) out += count_cell(n);
  out += count_cell(s.total, "total");
  for (std::size_t k = 0; k < s.figure_names.size(); ++k) out += "<td></td>";
  out += "</tr></tfoot>\n</table></div>\n";

  out +=
      fmt::format("<h3 id=\"{}-poids\">{}</h3>\n<figure>\n", id, escape(wording::weights_title(s)));
  out += legend(s);
  out += stacked_chart(s, id + "-graphique");
  out += fmt::format(
      "<figcaption>Répartition des dossiers de chaque {} entre les valeurs de {}, en % du total de "
      "la "
      "ligne ; la dernière barre est l'ensemble. Les valeurs sont dans le tableau ci-dessous."
      "</figcaption>\n</figure>\n",
      escape(s.row_title), escape(s.column_title));

  std::string shares_head = head;
  out += fmt::format(
      "<div class=\"table-wrap\"><table class=\"shares\" id=\"{}-parts\">\n<caption>{} (part de "
      "chaque {} dans le total de la ligne)</caption>\n<thead><tr>{}</tr></thead>\n<tbody>\n",
      id, escape(wording::weights_title(s)), escape(s.column_title), shares_head);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    out += fmt::format("<tr data-code=\"{}\">{}{}", escape(s.rows[r].code),
                       code_cell(s.rows[r].code), row_header(s.rows[r]));
    for (std::size_t c = 0; c < s.column_codes.size(); ++c) out += percent_cell(s.row_share(r, c));
    out += percent_cell(s.rows[r].total > 0 ? 1.0 : 0.0, "total");
    out += "</tr>\n";
  }
  out += fmt::format("</tbody>\n<tfoot><tr data-code=\"TOTAL\">{}<th scope=\"row\">{}</th>",
                     codes ? "<td></td>" : "", wording::kTotal);
  for (std::size_t c = 0; c < s.column_codes.size(); ++c) out += percent_cell(s.total_share(c));
  out += percent_cell(s.total > 0 ? 1.0 : 0.0, "total");
  out += "</tr></tfoot>\n</table></div>\n";
  return out;
}

// ---------------------------------------------------------------- one-column tables

// Horizontal bars, one per row: by decreasing count for catalogue rows and texts
// (declaration order for enumerations), the missing value last.
std::string bar_chart(const ReportSection& s, const std::string& id) {
  std::vector<std::size_t> order(s.rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const bool by_count = s.row_kind != AxisKind::Enum;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const bool ma = s.rows[a].code.empty(), mb = s.rows[b].code.empty();
    if (ma != mb) return mb;
    return by_count && s.rows[a].total > s.rows[b].total;
  });
  // The scale is set by the values, not by the missing value: when that is larger
  // (dossiers without any unrecognised label, say), its bar is cut and marked so.
  std::size_t longest = 5, max_count = 0, max_missing = 0;
  for (const auto& r : s.rows) {
    longest = std::max(longest, text::count_code_points(r.label));
    auto& top = r.code.empty() ? max_missing : max_count;
    top = std::max(top, r.total);
  }
  if (max_count == 0) max_count = max_missing;
  std::size_t hidden = 0;
  if (order.size() > kMaxBars) {
    const std::size_t last = order.back();
    hidden = order.size() - kMaxBars;
    order.resize(kMaxBars);
    if (s.rows[last].code.empty()) order.back() = last;
  }
  longest = std::min(longest, kMaxChartLabel);
  const double label_width =
      std::clamp(kCharWidth * static_cast<double>(longest) + 14, 90.0, 370.0);
  constexpr double kValueWidth = 120, kRow = 22, kBar = 15, kTop = 4;
  const double x0 = label_width, bar_max = kChartWidth - label_width - kValueWidth;
  const double height = kTop * 2 + kRow * static_cast<double>(order.size());

  std::string desc = fmt::format("{} barres, une par {}{}. ", order.size(), s.row_title,
                                 by_count ? ", de la plus longue à la plus courte" : "");
  if (!order.empty() && !s.rows[order[0]].code.empty()) {
    desc += fmt::format("En tête : {} avec {} dossiers ({}). ", s.rows[order[0]].label,
                        format_count(s.rows[order[0]].total), format_percent(s.share(order[0])));
  }
  if (max_missing > max_count) {
    desc += fmt::format("La barre « {} » ({} dossiers) dépasse l'échelle : elle est coupée. ",
                        s.missing_label, format_count(max_missing));
  }
  const std::string note =
      hidden == 0 ? std::string()
                  : fmt::format(
                        "Seules les {} premières barres sont dessinées ; les {} autres "
                        "valeurs sont dans le tableau.",
                        kMaxBars, hidden);
  desc += note.empty() ? "Les valeurs sont dans le tableau de la section." : note;

  std::string out = fmt::format(
      "<svg class=\"chart chart-bars\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-labelledby=\"{}-titre {}-desc\" xmlns=\"http://www.w3.org/2000/svg\">\n"
      "<title id=\"{}-titre\">Nombre de dossiers par {}</title>\n<desc id=\"{}-desc\">{}</desc>\n",
      num(kChartWidth), num(height), id, id, id, escape(s.row_title), id, escape(desc));
  out += fmt::format("<line class=\"axis\" x1=\"{0}\" x2=\"{0}\" y1=\"0\" y2=\"{1}\"/>\n", num(x0),
                     num(height));
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& r = s.rows[order[k]];
    const double y = kTop + kRow * static_cast<double>(k);
    const bool cut = r.total > max_count;
    const double w = max_count == 0 ? 0
                     : cut
                         ? bar_max
                         : bar_max * static_cast<double>(r.total) / static_cast<double>(max_count);
    out += fmt::format(
        "<g class=\"bar-row\"><title>{} : {} dossier{} ({})</title>"
        "<text class=\"label{}\" x=\"{}\" y=\"{}\" text-anchor=\"end\" "
        "dominant-baseline=\"middle\">{}</text>"
        "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>"
        "{}<text class=\"value\" x=\"{}\" y=\"{}\" dominant-baseline=\"middle\">{} · "
        "{}</text></g>\n",
        escape(r.label), format_count(r.total), r.total > 1 ? "s" : "",
        format_percent(s.share(order[k])), r.code.empty() ? " missing" : "", num(x0 - 8),
        num(y + kBar / 2), escape(shorten(r.label, kMaxChartLabel)), num(x0), num(y),
        num(std::max(w, 0.0)), num(kBar), r.code.empty() ? kMissingColour : kBarColour,
        cut ? fmt::format("<path class=\"cut\" d=\"M{} {} l6 {} M{} {} l6 {}\"/>", num(x0 + w - 24),
                          num(y + kBar + 1), num(-kBar - 2), num(x0 + w - 18), num(y + kBar + 1),
                          num(-kBar - 2))
            : std::string(),
        num(x0 + w + 6), num(y + kBar / 2), format_count(r.total),
        format_percent(s.share(order[k])));
  }
  out += "</svg>\n";
  if (!note.empty()) out += fmt::format("<p class=\"chart-note\">{}</p>\n", escape(note));
  return out;
}

std::string ranked_lists(const ReportSection& s) {
  std::string out = "<div class=\"cards\">\n";
  auto card = [&](const char* title, const std::vector<std::size_t>& rows,
                  const std::vector<std::size_t>& ranks, bool numbers, const char* cls) {
    out += fmt::format("<div class=\"card {}\">\n<h3>{}</h3>\n", cls, escape(title));
    if (rows.empty()) {
      out += "<p class=\"none\">(aucun)</p>\n</div>\n";
      return;
    }
    out += numbers ? "<ol>" : "<ul>";
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t r = rows[k];
      out += "<li>";
      if (numbers) out += fmt::format("<span class=\"rank\">{}.</span>", ranks[k]);
      out += fmt::format("<span class=\"name\">{}</span>", escape(s.rows[r].label));
      if (numbers) {
        out += fmt::format("<span class=\"figures\">{} · {}</span>", format_count(s.rows[r].total),
                           format_percent(s.share(r)));
      }
      out += "</li>";
    }
    out += numbers ? "</ol>\n</div>\n" : "</ul>\n</div>\n";
  };
  card(wording::kMost, s.most, s.most_ranks, true, "most");
  card(wording::kLeast, s.least, s.least_ranks, true, "least");
  card(wording::kNever, s.never, {}, false, "never");
  return out + "</div>\n";
}

std::string list_section(const ReportSection& s, const std::string& id) {
  std::string out;
  if (s.ranked()) out += ranked_lists(s);
  out += "<figure>\n" + bar_chart(s, id + "-graphique");
  out += fmt::format(
      "<figcaption>Nombre de dossiers par {} et part des {} dossiers pris en compte (un dossier "
      "peut compter dans plusieurs lignes).</figcaption>\n</figure>\n",
      escape(s.row_title), format_count(s.dossiers));

  const bool codes = s.codes_differ();
  out += fmt::format(
      "<div class=\"table-wrap\"><table class=\"counts list\" "
      "id=\"{}-effectifs\">\n<caption>Nombre "
      "de dossiers par {} et part des dossiers pris en compte</caption>\n<thead><tr>",
      id, escape(s.row_title));
  if (codes) out += fmt::format("<th scope=\"col\" class=\"label\">{}</th>", wording::kCode);
  out += fmt::format(
      "<th scope=\"col\" class=\"label\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
      escape(s.row_title), wording::kDossiers, wording::kShare);
  if (s.ranked()) out += fmt::format("<th scope=\"col\">{}</th>", wording::kRank);
  for (const auto& f : s.figure_names) out += fmt::format("<th scope=\"col\">{}</th>", escape(f));
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    const auto& row = s.rows[r];
    out += fmt::format("<tr data-code=\"{}\"{}>", escape(row.code),
                       row.code.empty() ? " class=\"missing\"" : "");
    if (codes) out += fmt::format("<td class=\"code\">{}</td>", escape(row.code));
    out += row_header(row) + count_cell(row.total) + percent_cell(s.share(r));
    if (s.ranked()) {
      out += row.rank > 0 ? fmt::format("<td data-value=\"{0}\">{0}</td>", row.rank)
                          : std::string("<td class=\"empty\"></td>");
    }
    for (const auto& f : row.figures) out += figure_cell(f);
    out += "</tr>\n";
  }
  out += fmt::format(
      "</tbody>\n<tfoot><tr data-code=\"DOSSIERS\"><th scope=\"row\"{}>Dossiers pris en "
      "compte</th>",
      codes ? " colspan=\"2\"" : "");
  out += count_cell(s.dossiers, "total");
  out += "<td></td>";
  if (s.ranked()) out += "<td></td>";
  for (std::size_t k = 0; k < s.figure_names.size(); ++k) out += "<td></td>";
  out += "</tr></tfoot>\n</table></div>\n";

  for (std::size_t f = 0; f < s.figure_names.size(); ++f) {
    const auto rows = rows_with_figure(s, f);
    const auto catalogue = static_cast<std::size_t>(std::count_if(
        s.rows.begin(), s.rows.end(), [](const ReportRow& r) { return !r.code.empty(); }));
    out += fmt::format(
        "<h3>{}</h3>\n<p class=\"scope\">{} des {} lignes du catalogue ont une valeur.</p>\n",
        escape(wording::figure_title(s.figure_names[f])), rows.size(), catalogue);
    out += fmt::format(
        "<div class=\"table-wrap\"><table class=\"figures\">\n<caption>{} et nombre de dossiers"
        "</caption>\n<thead><tr><th scope=\"col\" class=\"label\">{}</th><th "
        "scope=\"col\">{}</th><th "
        "scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        escape(wording::figure_title(s.figure_names[f])), escape(s.row_title),
        escape(s.figure_names[f]), wording::kDossiers);
    for (auto r : rows) {
      out += "<tr>" + row_header(s.rows[r]) + figure_cell(s.rows[r].figures[f]) +
             count_cell(s.rows[r].total) + "</tr>\n";
    }
    out += "</tbody>\n</table></div>\n";
  }
  return out;
}

constexpr const char* kStyle = R"css(
:root { --ink: #1b1f24; --muted: #59636e; --line: #d9dee5; --accent: #1f4e79; --soft: #f3f6f9; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
    "DejaVu Sans", sans-serif; }
.page { max-width: 1060px; margin: 0 auto; padding: 2rem 1.75rem 3rem; }
.report-head { border-bottom: 3px solid var(--accent); padding-bottom: 1.1rem; margin-bottom: 1.5rem; }
.kicker { margin: 0; color: var(--accent); font-weight: 700; font-size: .78rem;
  text-transform: uppercase; letter-spacing: .09em; }
h1 { font-size: 1.9rem; margin: .2rem 0 .9rem; line-height: 1.2; }
.facts { display: flex; flex-wrap: wrap; gap: .6rem 2.2rem; margin: 0; }
.facts dt { font-size: .72rem; color: var(--muted); text-transform: uppercase; letter-spacing: .06em; }
.facts dd { margin: 0; font-weight: 600; font-variant-numeric: tabular-nums; }
nav.toc { background: var(--soft); border-radius: 6px; padding: .8rem 1.2rem; }
nav.toc h2 { font-size: .85rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  border: 0; margin: 0 0 .3rem; padding: 0; }
nav.toc ol { margin: 0; padding-left: 1.4rem; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
section.report-section { margin: 2.6rem 0 0; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 .3rem; padding-bottom: .35rem;
  border-bottom: 1px solid var(--line); }
h2 .num { display: inline-block; min-width: 1.7rem; padding: 0 .35rem; margin-right: .5rem;
  border-radius: .85rem; background: var(--accent); color: #fff; font-size: .95rem;
  line-height: 1.7rem; text-align: center; vertical-align: .1rem; }
h3 { font-size: 1.05rem; margin: 1.6rem 0 .4rem; }
.scope { color: var(--muted); margin: .3rem 0 1rem; font-size: .92rem; }
.scope code, code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em;
  background: var(--soft); padding: 0 .25rem; border-radius: 3px; }
.table-wrap { overflow-x: auto; margin: .4rem 0 1.4rem; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: var(--muted); font-size: .85rem;
  padding: 0 0 .35rem; }
th, td { padding: .34rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--accent); color: #fff; font-weight: 600; text-align: right;
  vertical-align: bottom; line-height: 1.25; }
thead th.label { text-align: left; }
tbody th { text-align: left; font-weight: 500; min-width: 13rem; }
td { text-align: right; white-space: nowrap; }
td.code { text-align: left; color: var(--muted); font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
tbody tr:nth-child(even) { background: var(--soft); }
.total { font-weight: 700; }
tfoot th, tfoot td { font-weight: 700; background: #e4ecf5; border-top: 2px solid var(--accent);
  border-bottom: 0; }
tfoot th { text-align: left; }
th.missing, tr.missing th { font-style: italic; color: var(--muted); }
table.list, table.figures { width: auto; min-width: min(36rem, 100%); }
figure { margin: .6rem 0 1.2rem; }
figcaption, .chart-note { color: var(--muted); font-size: .82rem; margin-top: .35rem; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
svg.chart text.label { fill: var(--ink); }
svg.chart text.value { font-size: 11px; }
svg.chart.chart-bars text.value { fill: var(--muted); }
svg.chart .bar-row.total text.label { font-weight: 700; }
svg.chart text.label.missing { font-style: italic; fill: var(--muted); }
svg.chart .grid line { stroke: #e3e7ec; }
svg.chart .grid text { fill: var(--muted); font-size: 11px; }
svg.chart line.separator { stroke: var(--line); stroke-dasharray: 3 3; }
svg.chart line.axis { stroke: #9aa3ad; }
svg.chart path.cut { stroke: #fff; stroke-width: 3; }
svg.chart rect.segment { stroke: #fff; stroke-width: 1; }
svg.chart .bar-row:hover rect { opacity: .85; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1.3rem; padding: 0;
  margin: .2rem 0 .5rem; font-size: .85rem; }
.legend li { display: flex; align-items: center; gap: .4rem; }
.swatch { display: inline-block; width: .95rem; height: .95rem; border-radius: 2px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 1rem;
  margin: .8rem 0 1.2rem; }
.card { border: 1px solid var(--line); border-top: 3px solid var(--accent); border-radius: 4px;
  padding: .5rem .9rem .7rem; font-size: .88rem; }
.card.least { border-top-color: #f2a541; }
.card.never { border-top-color: #a8adb4; }
.card h3 { font-size: .95rem; margin: .2rem 0 .5rem; }
.card ol, .card ul { margin: 0; padding: 0; list-style: none; }
.card li { display: flex; align-items: baseline; gap: .5rem; padding: .12rem 0;
  border-bottom: 1px dotted var(--line); }
.card li:last-child { border-bottom: 0; }
.card .rank { min-width: 1.5rem; color: var(--muted); text-align: right;
  font-variant-numeric: tabular-nums; }
.card .name { flex: 1; }
.card .figures { color: var(--muted); white-space: nowrap; font-variant-numeric: tabular-nums; }
.none { color: var(--muted); font-style: italic; }
footer { margin-top: 3rem; padding-top: .8rem; border-top: 1px solid var(--line); color: var(--muted);
  font-size: .8rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  html { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  nav.toc { display: none; }
  section.report-section { break-before: page; margin-top: 0; }
  main > section.report-section:first-child { break-before: avoid; margin-top: 1.5rem; }
  figure, .card, tr, h3 { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  thead { display: table-header-group; }
  tfoot { display: table-row-group; }  /* the totals once, at the end */
  caption { break-after: avoid; }
  .table-wrap { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
)css";

}  // namespace

std::string render_report_html(const Report& report) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"Tamis\">\n<link rel=\"icon\" href=\"data:,\">\n"
      "<title>{} — {}</title>\n<style>{}</style>\n</head>\n<body>\n<div class=\"page\">\n",
      wording::kReportTitle, escape(report.campaign), kStyle);
  out += fmt::format(
      "<header class=\"report-head\">\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n<dl "
      "class=\"facts\">"
      "<div><dt>Règles</dt><dd>{} version {}</dd></div>"
      "<div><dt>Empreinte</dt><dd><code>{}</code></dd></div>"
      "<div><dt>Lignes lues</dt><dd>{}</dd></div>"
      "<div><dt>Classées</dt><dd>{}</dd></div>"
      "<div><dt>Rejetées</dt><dd>{}</dd></div></dl>\n</header>\n",
      wording::kReportTitle, escape(report.campaign), escape(report.rules_name),
      escape(report.rules_version), escape(report.fingerprint.substr(0, 12)),
      format_count(report.rows_read), format_count(report.rows_classified),
      format_count(report.rows_rejected));
  out += "<nav class=\"toc\" aria-label=\"Sommaire\">\n<h2>Sommaire</h2>\n<ol>\n";
  for (const auto& s : report.sections)
    out += fmt::format("<li><a href=\"#tableau-{}\">{}</a></li>\n", s.number, escape(s.title));
  out += "</ol>\n</nav>\n<main>\n";
  for (const auto& s : report.sections) {
    const std::string id = fmt::format("tableau-{}", s.number);
    std::string scope = escape(wording::scope(s));
    if (!s.condition.empty()) {
      // Show the condition as the rule text it is.
      const std::string condition = escape(s.condition);
      const auto at = scope.rfind(condition);
      if (at != std::string::npos)
        scope.replace(at, condition.size(), "<code>" + condition + "</code>");
    }
    out += fmt::format(
        "<section class=\"report-section\" id=\"{0}\" aria-labelledby=\"{0}-h\">\n<h2 id=\"{0}-h\">"
        "<span class=\"num\">{1}</span>{2}</h2>\n<p class=\"scope\">{3}</p>\n",
        id, s.number, escape(s.title), scope);
    if (const std::string note = wording::several_cells(s); !note.empty())
      out += fmt::format("<p class=\"scope note\">{}</p>\n", escape(note));
    out += s.cross ? cross_section(s, id) : list_section(s, id);
    out += "</section>\n";
  }
  out += fmt::format("</main>\n<footer>{} — {}. {}.</footer>\n</div>\n</body>\n</html>\n",
                     escape(wording::rules(report)), escape(wording::rows_summary(report)),
                     "Rapport produit par Tamis à partir des déclarations « synthèse » des règles");
  return out;
}

}  // namespace tamis::runtime::report
