#pragma once
// The tokens the formatter works on: every token of a rule file, comments
// included, with its spelling as written and the line breaks before it.
#include <cstdint>
#include <string>

namespace tamis::format {

// The keywords of grammar/Tamis.g4, one value per lexer rule (all spellings of a
// keyword give the same value).
enum class Kw {
  None,
  Ruleset,
  Extends,
  Extend,
  Replace,
  Remove,
  Version,
  Code,
  Test,
  Expect,
  By,
  Enum,
  Alias,
  Schema,
  Column,
  SetOf,
  Table,
  Empty,
  Let,
  Decision,
  First,
  Unique,
  Collect,
  Rule,
  If,
  Then,
  Otherwise,
  Because,
  Output,
  Summary,
  Rows,
  Columns,
  IsNotSet,
  IsSet,
  IsNotEmpty,
  IsEmpty,
  NotIn,
  Default,
  In,
  Contains,
  And,
  Or,
  Not,
  True,
  False,
};

enum class TokKind {
  Keyword,
  Ident,
  String,
  Integer,
  Decimal,
  Date,
  Punct,  // { } ( ) , : = | . ? * / + - < > and ≠ ≤ ≥ != <> <= >=
  LineComment,
  BlockComment,
  End,  // end of file; its leading comments are the file's last comments
};

struct Token {
  TokKind kind = TokKind::End;
  Kw kw = Kw::None;
  std::string text;                   // exactly as written
  std::uint32_t line = 0;             // 1-based line of its first character
  std::uint32_t newlines_before = 0;  // line breaks between the previous token and this one

  bool is_comment() const { return kind == TokKind::LineComment || kind == TokKind::BlockComment; }
};

}  // namespace tamis::format
