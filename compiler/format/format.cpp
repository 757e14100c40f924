#include "compiler/format/format.hpp"

#include <fmt/format.h>

#include <exception>

#include "compiler/format/cursor.hpp"
#include "compiler/format/layout.hpp"
#include "compiler/format/lexer.hpp"
#include "compiler/format/verify.hpp"
#include "compiler/syntax/parse.hpp"
#include "support/lang.hpp"

namespace tamis::format {

std::string layout_text(std::string_view text) {
  Cursor cursor(lex(text));
  return render(layout_file(cursor));
}

FormatResult format_file(const SourceSet& sources, FileId file, DiagnosticSink& sink) {
  FormatResult result;
  DiagnosticSink own;
  const ast::File before = syntax::parse_file(sources, file, own);
  const bool errors = own.has_errors();
  for (const auto& d : own.all()) sink.report(d);
  if (errors) {
    result.status = FormatResult::Status::SyntaxErrors;
    return result;
  }
  const std::string& original = sources.file(file).text;
  try {
    result.text = layout_text(original);
  } catch (const std::exception& e) {
    result.problem = e.what();
    return result;
  }
  // The formatted text must say exactly what the original said.
  SourceSet check;
  const FileId id = check.add(sources.file(file).path, result.text);
  DiagnosticSink after_sink;
  const ast::File after = syntax::parse_file(check, id, after_sink);
  if (after_sink.has_errors()) {
    result.problem =
        tr("le texte mis en forme ne s'analyse plus ({})",
           "the formatted text no longer parses ({})", after_sink.all().front().message);
  } else if (auto ast = compare_ast(before, after); !ast.empty()) {
    result.problem = ast;
  } else if (auto comments = compare_comments(original, result.text); !comments.empty()) {
    result.problem = comments;
  } else {
    result.status = FormatResult::Status::Formatted;
  }
  if (result.status != FormatResult::Status::Formatted) result.text.clear();
  return result;
}

}  // namespace tamis::format
