#include "runtime/report/report_xlsx.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "runtime/report/xlsxwriter_library.hpp"
#include "support/text.hpp"

namespace tamis::runtime::report {

namespace {

constexpr double kMaxLabelWidth = 60;
constexpr double kMaxNumberWidth = 18;  // longer headers wrap
constexpr double kLineHeight = 15;

struct Formats {
  lxw_format* title;
  lxw_format* note;
  lxw_format* subtitle;
  lxw_format* header;
  lxw_format* header_number;
  lxw_format* text;
  lxw_format* count;
  lxw_format* percent;
  lxw_format* figure;
  lxw_format* total_text;
  lxw_format* total_count;
  lxw_format* total_percent;

  Formats(const XlsxWriter& x, lxw_workbook* wb) {
    title = x.workbook_add_format(wb);
    x.format_set_bold(title);
    x.format_set_font_size(title, 14);
    x.format_set_font_color(title, 0x1F3864);
    note = x.workbook_add_format(wb);
    x.format_set_italic(note);
    x.format_set_font_color(note, 0x595959);
    subtitle = x.workbook_add_format(wb);
    x.format_set_bold(subtitle);
    x.format_set_font_size(subtitle, 12);
    x.format_set_font_color(subtitle, 0x1F3864);
    header = x.workbook_add_format(wb);
    x.format_set_bold(header);
    x.format_set_font_color(header, LXW_COLOR_WHITE);
    x.format_set_bg_color(header, 0x1F4E79);
    x.format_set_text_wrap(header);
    x.format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
    x.format_set_border(header, LXW_BORDER_THIN);
    x.format_set_border_color(header, 0x1F4E79);
    header_number = x.workbook_add_format(wb);
    x.format_set_bold(header_number);
    x.format_set_font_color(header_number, LXW_COLOR_WHITE);
    x.format_set_bg_color(header_number, 0x1F4E79);
    x.format_set_text_wrap(header_number);
    x.format_set_align(header_number, LXW_ALIGN_RIGHT);
    x.format_set_align(header_number, LXW_ALIGN_VERTICAL_CENTER);
    x.format_set_border(header_number, LXW_BORDER_THIN);
    x.format_set_border_color(header_number, 0x1F4E79);
    text = x.workbook_add_format(wb);
    x.format_set_text_wrap(text);
    x.format_set_align(text, LXW_ALIGN_VERTICAL_TOP);
    count = x.workbook_add_format(wb);
    x.format_set_num_format(count, "#,##0");
    x.format_set_align(count, LXW_ALIGN_VERTICAL_TOP);
    percent = x.workbook_add_format(wb);
    x.format_set_num_format(percent, "0.0%");
    x.format_set_align(percent, LXW_ALIGN_VERTICAL_TOP);
    figure = x.workbook_add_format(wb);
    x.format_set_num_format(figure, "General");
    x.format_set_align(figure, LXW_ALIGN_VERTICAL_TOP);
    total_text = x.workbook_add_format(wb);
    x.format_set_bold(total_text);
    x.format_set_top(total_text, LXW_BORDER_THIN);
    x.format_set_bg_color(total_text, 0xE7EEF7);
    total_count = x.workbook_add_format(wb);
    x.format_set_bold(total_count);
    x.format_set_top(total_count, LXW_BORDER_THIN);
    x.format_set_bg_color(total_count, 0xE7EEF7);
    x.format_set_num_format(total_count, "#,##0");
    total_percent = x.workbook_add_format(wb);
    x.format_set_bold(total_percent);
    x.format_set_top(total_percent, LXW_BORDER_THIN);
    x.format_set_bg_color(total_percent, 0xE7EEF7);
    x.format_set_num_format(total_percent, "0.0%");
  }
};

// One worksheet being written: cell helpers that also track column widths.
class Sheet {
 public:
  Sheet(const XlsxWriter& x, lxw_worksheet* ws, const Formats& f) : x_(x), ws_(ws), f_(f) {}

  void text(std::size_t row, std::size_t col, const std::string& s, lxw_format* format,
            bool measure = true) {
    x_.worksheet_write_string(ws_, r(row), c(col), s.c_str(), format);
    if (measure) fit(col, static_cast<double>(text::count_code_points(s)), kMaxLabelWidth);
  }
  void number(std::size_t row, std::size_t col, double v, lxw_format* format) {
    x_.worksheet_write_number(ws_, r(row), c(col), v, format);
    fit(col, static_cast<double>(fmt::format("{}", v).size()) + 2, kMaxNumberWidth);
  }
  // A header row: labels wrap in columns narrower than the label.
  void header(std::size_t row, const std::vector<std::string>& labels, std::size_t first_number) {
    std::size_t lines = 1;
    for (std::size_t col = 0; col < labels.size(); ++col) {
      const bool numeric = col >= first_number;
      text(row, col, labels[col], numeric ? f_.header_number : f_.header, false);
      const double w = static_cast<double>(text::count_code_points(labels[col])) + 1;
      const double cap = numeric ? kMaxNumberWidth : kMaxLabelWidth;
      fit(col, std::min(w, cap), cap);
      if (numeric && w > cap) lines = std::max(lines, static_cast<std::size_t>(w / cap) + 1);
    }
    x_.worksheet_set_row(ws_, r(row), kLineHeight * static_cast<double>(lines), nullptr);
  }
  void finish() {
    for (std::size_t col = 0; col < widths_.size(); ++col)
      x_.worksheet_set_column(ws_, c(col), c(col), std::max(widths_[col] + 1, 8.0), nullptr);
  }
  lxw_worksheet* ws() const { return ws_; }

  static lxw_row_t r(std::size_t row) { return static_cast<lxw_row_t>(row); }
  static lxw_col_t c(std::size_t col) { return static_cast<lxw_col_t>(col); }

 private:
  void fit(std::size_t col, double width, double cap) {
    if (widths_.size() <= col) widths_.resize(col + 1, 0);
    widths_[col] = std::max(widths_[col], std::min(width, cap));
  }

  const XlsxWriter& x_;
  lxw_worksheet* ws_;
  const Formats& f_;
  std::vector<double> widths_;
};

// "1. Bilan des projets COP…" — at most 31 characters, cut at a word and marked
// with an ellipsis, never ending on a little word or a negation ("6. Libellés de
// leviers…", not "… leviers non"), without the characters Excel forbids in sheet
// names, unique in the workbook. The full title is the sheet's first row.
std::string sheet_name(const ReportSection& s, std::set<std::string>& used) {
  std::string clean;
  for (char ch : fmt::format("{}. {}", s.number, s.title)) {
    if (std::string_view("[]:*?/\\").find(ch) != std::string_view::npos) ch = ' ';
    clean += ch;
  }
  const bool cut = text::count_code_points(clean) > LXW_SHEETNAME_MAX;
  const std::size_t room = cut ? LXW_SHEETNAME_MAX - 1 : LXW_SHEETNAME_MAX;  // the ellipsis
  std::string name;
  std::string word;
  auto flush = [&]() {
    const std::string candidate = name.empty() ? word : name + " " + word;
    if (text::count_code_points(candidate) <= room) name = candidate;
    word.clear();
    return text::count_code_points(candidate) <= room;
  };
  for (char ch : clean) {
    if (ch == ' ') {
      if (!word.empty() && !flush()) break;
    } else {
      word += ch;
    }
  }
  if (!word.empty()) flush();
  // A cut name does not end on a little word ("… par les") nor on a word that turns
  // the next one around ("… non").
  static const std::set<std::string> kLittle = {
      "à",    "au", "aux", "de",   "des", "du",  "la",  "le",  "les",  "et", "ou",   "par",
      "pour", "en", "sur", "dans", "un",  "une", "non", "pas", "sans", "ni", "hors", "mais"};
  if (cut) {
    for (auto space = name.rfind(' '); space != std::string::npos && space > 3;
         space = name.rfind(' ')) {
      if (kLittle.count(name.substr(space + 1)) == 0) break;
      name.resize(space);
    }
  }
  while (!name.empty() && (name.back() == '\'' || name.back() == ',')) name.pop_back();
  if (name.empty()) {
    name = fmt::format("Tableau {}", s.number);
  } else if (cut) {
    name += "…";
  }
  for (int k = 2; used.count(name) > 0; ++k) name = fmt::format("Tableau {} ({})", s.number, k);
  used.insert(name);
  return name;
}

void write_figure_cells(Sheet& sh, const Formats& f, std::size_t row, std::size_t col,
                        const ReportRow& r) {
  for (std::size_t k = 0; k < r.figures.size(); ++k) {
    if (r.figures[k]) sh.number(row, col + k, *r.figures[k], f.figure);
  }
}

void write_cross(Sheet& sh, const Formats& f, const ReportSection& s, bool codes) {
  const std::size_t label_col = codes ? 1 : 0;
  const std::size_t first = label_col + 1;
  std::vector<std::string> header;
  if (codes) header.emplace_back(wording::kCode);
  header.push_back(s.row_title);
  header.insert(header.end(), s.column_labels.begin(), s.column_labels.end());
  header.emplace_back(wording::kTotal);
  std::vector<std::string> counts_header = header;
  counts_header.insert(counts_header.end(), s.figure_names.begin(), s.figure_names.end());

  std::size_t row = 2;
  sh.header(row++, counts_header, first);
  for (const auto& r : s.rows) {
    if (codes) sh.text(row, 0, r.code, f.text);
    sh.text(row, label_col, r.label, f.text);
    for (std::size_t c = 0; c < r.counts.size(); ++c)
      sh.number(row, first + c, static_cast<double>(r.counts[c]), f.count);
    sh.number(row, first + r.counts.size(), static_cast<double>(r.total), f.total_count);
    write_figure_cells(sh, f, row, first + r.counts.size() + 1, r);
    ++row;
  }
  auto total_row = [&](std::size_t at) {
    if (codes) sh.text(at, 0, "TOTAL", f.total_text);
    sh.text(at, label_col, "TOTAL", f.total_text);
  };
  total_row(row);
  for (std::size_t c = 0; c < s.column_totals.size(); ++c)
    sh.number(row, first + c, static_cast<double>(s.column_totals[c]), f.total_count);
  sh.number(row, first + s.column_totals.size(), static_cast<double>(s.total), f.total_count);
  row += 2;

  sh.text(row++, 0, wording::weights_title(s), f.subtitle, false);
  sh.header(row++, header, first);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    if (codes) sh.text(row, 0, s.rows[r].code, f.text);
    sh.text(row, label_col, s.rows[r].label, f.text);
    for (std::size_t c = 0; c < s.column_codes.size(); ++c)
      sh.number(row, first + c, s.row_share(r, c), f.percent);
    sh.number(row, first + s.column_codes.size(), s.rows[r].total > 0 ? 1.0 : 0.0, f.total_percent);
    ++row;
  }
  total_row(row);
  for (std::size_t c = 0; c < s.column_codes.size(); ++c)
    sh.number(row, first + c, s.total_share(c), f.total_percent);
  sh.number(row, first + s.column_codes.size(), s.total > 0 ? 1.0 : 0.0, f.total_percent);
}

void write_list(Sheet& sh, const Formats& f, const ReportSection& s, bool codes) {
  const std::size_t label_col = codes ? 1 : 0;
  const std::size_t first = label_col + 1;
  std::vector<std::string> header;
  if (codes) header.emplace_back(wording::kCode);
  header.push_back(s.row_title);
  header.emplace_back(wording::kDossiers);
  header.emplace_back(wording::kShare);
  if (s.ranked()) header.emplace_back(wording::kRank);
  header.insert(header.end(), s.figure_names.begin(), s.figure_names.end());

  std::size_t row = 2;
  sh.header(row++, header, first);
  for (std::size_t r = 0; r < s.rows.size(); ++r) {
    const auto& line = s.rows[r];
    if (codes) sh.text(row, 0, line.code, f.text);
    sh.text(row, label_col, line.label, f.text);
    sh.number(row, first, static_cast<double>(line.total), f.count);
    sh.number(row, first + 1, s.share(r), f.percent);
    std::size_t next = first + 2;
    if (s.ranked()) {
      if (line.rank > 0) sh.number(row, next, static_cast<double>(line.rank), f.count);
      ++next;
    }
    write_figure_cells(sh, f, row, next, line);
    ++row;
  }
  if (!s.ranked()) return;

  // The lists below the table, label in the label column and numbers beside it.
  auto block = [&](const std::string& title, const std::vector<std::size_t>& rows,
                   bool with_numbers) {
    row += 1;
    sh.text(row++, 0, title, f.subtitle, false);
    if (rows.empty()) {
      sh.text(row++, label_col, "(aucun)", f.note, false);
      return;
    }
    std::vector<std::string> h;
    if (codes) h.emplace_back(wording::kCode);
    h.push_back(s.row_title);
    if (with_numbers) {
      h.emplace_back(wording::kDossiers);
      h.emplace_back(wording::kShare);
    }
    sh.header(row++, h, first);
    for (auto r : rows) {
      if (codes) sh.text(row, 0, s.rows[r].code, f.text);
      sh.text(row, label_col, s.rows[r].label, f.text);
      if (with_numbers) {
        sh.number(row, first, static_cast<double>(s.rows[r].total), f.count);
        sh.number(row, first + 1, s.share(r), f.percent);
      }
      ++row;
    }
  };
  block(wording::kMost, s.most, true);
  block(wording::kLeast, s.least, true);
  block(wording::kNever, s.never, false);
  for (std::size_t k = 0; k < s.figure_names.size(); ++k) {
    row += 1;
    sh.text(row++, 0, wording::figure_title(s.figure_names[k]), f.subtitle, false);
    std::vector<std::string> h;
    if (codes) h.emplace_back(wording::kCode);
    h.push_back(s.row_title);
    h.push_back(s.figure_names[k]);
    h.emplace_back(wording::kDossiers);
    sh.header(row++, h, first);
    for (auto r : rows_with_figure(s, k)) {
      if (codes) sh.text(row, 0, s.rows[r].code, f.text);
      sh.text(row, label_col, s.rows[r].label, f.text);
      sh.number(row, first, *s.rows[r].figures[k], f.figure);
      sh.number(row, first + 1, static_cast<double>(s.rows[r].total), f.count);
      ++row;
    }
  }
}

}  // namespace

std::string write_report_xlsx(const Report& report, const std::string& path) {
  std::string problem;
  const XlsxWriter* library = load_xlsxwriter(problem);
  if (library == nullptr) return problem;
  const XlsxWriter& x = *library;
  lxw_workbook* wb = x.workbook_new(path.c_str());
  if (wb == nullptr) return fmt::format("impossible de créer le classeur « {} »", path);
  std::string title = fmt::format("{} — {}", wording::kReportTitle, report.campaign);
  std::string subject = wording::rules(report);
  std::string creator = "Tamis";
  lxw_doc_properties properties{};
  properties.title = title.data();
  properties.subject = subject.data();
  properties.author = creator.data();
  x.workbook_set_properties(wb, &properties);

  const Formats f(x, wb);
  std::set<std::string> used;
  for (const auto& s : report.sections) {
    lxw_worksheet* ws = x.workbook_add_worksheet(wb, sheet_name(s, used).c_str());
    if (ws == nullptr) {
      x.workbook_close(wb);
      return fmt::format("impossible d'ajouter la feuille du tableau {}", s.number);
    }
    Sheet sh(x, ws, f);
    sh.text(0, 0, fmt::format("{}. {}", s.number, s.title), f.title, false);
    const std::string note = wording::several_cells(s);
    sh.text(1, 0, note.empty() ? wording::scope(s) : wording::scope(s) + ". " + note, f.note,
            false);
    x.worksheet_set_row(ws, 0, 20, nullptr);
    const bool codes = s.codes_differ();
    if (s.cross) {
      write_cross(sh, f, s, codes);
    } else {
      write_list(sh, f, s, codes);
    }
    sh.finish();
    // The title, the note and the header stay in view, with the row labels.
    x.worksheet_freeze_panes(ws, 3, Sheet::c(codes ? 2 : 1));
    x.worksheet_set_paper(ws, 9);  // A4
    if (s.cross) x.worksheet_set_landscape(ws);
    x.worksheet_fit_to_pages(ws, 1, 0);
    x.worksheet_repeat_rows(ws, 2, 2);
  }
  const lxw_error error = x.workbook_close(wb);
  if (error != LXW_NO_ERROR)
    return fmt::format("impossible d'écrire « {} » : {}", path, x.lxw_strerror(error));
  return {};
}

}  // namespace tamis::runtime::report
