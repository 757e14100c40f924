#pragma once
// A small document algebra in the style of Wadler's "prettier printer": the
// layout says where a line may break, the renderer decides from the width.
// Nothing here knows the rule language.
#include <string>
#include <vector>

namespace tamis::format {

inline constexpr int kWidth = 100;  // the shipped rules' line length
inline constexpr int kIndent = 2;

struct Doc {
  enum class Kind {
    Text,       // literal text; a newline in it (a block comment) forces a break
    Space,      // one space, dropped at the start of a line
    Line,       // a space in a flat group, a line break in a broken one
    SoftLine,   // nothing in a flat group, a line break in a broken one
    HardLine,   // a line break, unless the line is still empty
    BlankLine,  // one empty line (never two)
    Nest,       // its parts, indented by `indent` more after each line break
    Group,      // its parts, flat if they fit on the line, else broken
    Fill,       // parts = content, separator, content…: breaks only separators that must
    Concat,
  };
  Kind kind = Kind::Concat;
  std::string text;
  int indent = 0;
  bool hard = false;  // contains a forced line break: enclosing groups break
  bool flat = false;  // a Group that never breaks (unless it is hard)
  std::vector<Doc> parts;
};

Doc text(std::string s);
Doc space();
Doc line();
Doc softline();
Doc hardline();
Doc blankline();
Doc nest(int indent, Doc d);
Doc group(Doc d);
// Its parts on one line however long it gets (test expectations, like the data they test).
Doc flat_group(Doc d);
Doc fill(std::vector<Doc> parts);
Doc cat(std::vector<Doc> parts);

// Appends to a concatenation being built.
void append(Doc& to, Doc d);

// Width of `d` laid out flat (code points), as if it had no forced breaks.
int flat_width(const Doc& d);

// The text, lines without trailing spaces, ending with one newline unless empty.
std::string render(const Doc& d, int width = kWidth);

}  // namespace tamis::format
