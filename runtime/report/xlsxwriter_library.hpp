#pragma once
// libxlsxwriter, loaded (dlopen) when the first workbook is written rather than
// linked: linking it made every command load it and what it needs (libcrypto,
// minizip, zlib) at start-up, about 5 ms of the 20 ms a whole example run may
// take, for the one command that writes workbooks (`tamis report --format xlsx`).
#include <xlsxwriter.h>

#include <string>

namespace tamis::runtime::report {

// The functions of libxlsxwriter that report_xlsx.cpp calls: one list, from which the
// table of pointers and its loading are both written, so they cannot disagree.
#define TAMIS_XLSXWRITER_FUNCTIONS(X) \
  X(workbook_new)                     \
  X(workbook_set_properties)          \
  X(workbook_add_format)              \
  X(workbook_add_worksheet)           \
  X(workbook_close)                   \
  X(format_set_bold)                  \
  X(format_set_italic)                \
  X(format_set_font_size)             \
  X(format_set_font_color)            \
  X(format_set_bg_color)              \
  X(format_set_text_wrap)             \
  X(format_set_align)                 \
  X(format_set_border)                \
  X(format_set_border_color)          \
  X(format_set_top)                   \
  X(format_set_num_format)            \
  X(worksheet_write_string)           \
  X(worksheet_write_number)           \
  X(worksheet_set_row)                \
  X(worksheet_set_column)             \
  X(worksheet_freeze_panes)           \
  X(worksheet_set_paper)              \
  X(worksheet_set_landscape)          \
  X(worksheet_fit_to_pages)           \
  X(worksheet_repeat_rows)            \
  X(lxw_strerror)

// Those functions, under their own names.
struct XlsxWriter {
#define TAMIS_XLSXWRITER_POINTER(name) decltype(&::name) name;
  TAMIS_XLSXWRITER_FUNCTIONS(TAMIS_XLSXWRITER_POINTER)
#undef TAMIS_XLSXWRITER_POINTER
};

// The library, loaded on the first call. Null when it cannot be loaded; `problem`
// then says why (in French) and what to install.
const XlsxWriter* load_xlsxwriter(std::string& problem);

}  // namespace tamis::runtime::report
