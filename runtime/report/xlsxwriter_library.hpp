#pragma once
// libxlsxwriter, loaded (dlopen) when the first workbook is written rather than
// linked: linking it made every command load it and what it needs (libcrypto,
// minizip, zlib) at start-up, about 5 ms of the 20 ms a whole example run may
// take, for the one command that writes workbooks (`tamis report --format xlsx`).
#include <xlsxwriter.h>

#include <string>

namespace tamis::runtime::report {

// The functions of libxlsxwriter that report_xlsx.cpp calls, under their own names.
struct XlsxWriter {
  decltype(&::workbook_new) workbook_new;
  decltype(&::workbook_set_properties) workbook_set_properties;
  decltype(&::workbook_add_format) workbook_add_format;
  decltype(&::workbook_add_worksheet) workbook_add_worksheet;
  decltype(&::workbook_close) workbook_close;
  decltype(&::format_set_bold) format_set_bold;
  decltype(&::format_set_italic) format_set_italic;
  decltype(&::format_set_font_size) format_set_font_size;
  decltype(&::format_set_font_color) format_set_font_color;
  decltype(&::format_set_bg_color) format_set_bg_color;
  decltype(&::format_set_text_wrap) format_set_text_wrap;
  decltype(&::format_set_align) format_set_align;
  decltype(&::format_set_border) format_set_border;
  decltype(&::format_set_border_color) format_set_border_color;
  decltype(&::format_set_top) format_set_top;
  decltype(&::format_set_num_format) format_set_num_format;
  decltype(&::worksheet_write_string) worksheet_write_string;
  decltype(&::worksheet_write_number) worksheet_write_number;
  decltype(&::worksheet_set_row) worksheet_set_row;
  decltype(&::worksheet_set_column) worksheet_set_column;
  decltype(&::worksheet_freeze_panes) worksheet_freeze_panes;
  decltype(&::worksheet_set_paper) worksheet_set_paper;
  decltype(&::worksheet_set_landscape) worksheet_set_landscape;
  decltype(&::worksheet_fit_to_pages) worksheet_fit_to_pages;
  decltype(&::worksheet_repeat_rows) worksheet_repeat_rows;
  decltype(&::lxw_strerror) lxw_strerror;
};

// The library, loaded on the first call. Null when it cannot be loaded; `problem`
// then says why (in French) and what to install.
const XlsxWriter* load_xlsxwriter(std::string& problem);

}  // namespace tamis::runtime::report
