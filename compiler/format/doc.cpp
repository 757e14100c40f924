#include "compiler/format/doc.hpp"

#include <algorithm>

#include "support/text.hpp"

namespace tamis::format {
namespace {

int width_of(std::string_view s) {
  const auto newline = s.find('\n');
  return static_cast<int>(text::count_code_points(s.substr(0, newline)));
}

Doc container(Doc::Kind kind, std::vector<Doc> parts, int indent = 0) {
  Doc d;
  d.kind = kind;
  d.indent = indent;
  d.hard = std::any_of(parts.begin(), parts.end(), [](const Doc& p) { return p.hard; });
  d.parts = std::move(parts);
  return d;
}

Doc leaf(Doc::Kind kind, bool hard = false) {
  Doc d;
  d.kind = kind;
  d.hard = hard;
  return d;
}

enum class Mode { Flat, Break };

struct Command {
  int indent;
  Mode mode;
  const Doc* doc;
};

// Whether `next` fits flat in `room` columns, the rest of the line included
// (what follows it on the stack, up to the next line break).
bool fits(const Command& next, const std::vector<Command>& rest, int room) {
  std::vector<Command> stack{next};
  std::size_t rest_index = rest.size();
  while (room >= 0) {
    if (stack.empty()) {
      if (rest_index == 0) return true;
      stack.push_back(rest[--rest_index]);
    }
    const Command c = stack.back();
    stack.pop_back();
    const Doc& d = *c.doc;
    switch (d.kind) {
      case Doc::Kind::Text:
        room -= width_of(d.text);
        if (d.text.find('\n') != std::string::npos) return room >= 0;
        break;
      case Doc::Kind::Space:
        room -= 1;
        break;
      case Doc::Kind::Line:
        if (c.mode == Mode::Break) return true;
        room -= 1;
        break;
      case Doc::Kind::SoftLine:
        if (c.mode == Mode::Break) return true;
        break;
      case Doc::Kind::HardLine:
      case Doc::Kind::BlankLine:
        return true;
      case Doc::Kind::Group: {
        const Mode mode = d.hard ? Mode::Break : c.mode;
        for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it)
          stack.push_back({c.indent, mode, &*it});
        break;
      }
      case Doc::Kind::Nest:
      case Doc::Kind::Fill:
      case Doc::Kind::Concat:
        for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it)
          stack.push_back({c.indent + d.indent, c.mode, &*it});
        break;
    }
  }
  return false;
}

class Renderer {
 public:
  explicit Renderer(int width) : width_(width) {}

  std::string run(const Doc& root) {
    stack_.push_back({0, Mode::Break, &root});
    while (!stack_.empty()) {
      const Command c = stack_.back();
      stack_.pop_back();
      step(c);
    }
    newline(0);
    while (out_.size() >= 2 && out_.substr(out_.size() - 2) == "\n\n") out_.pop_back();
    return out_;
  }

 private:
  void step(const Command& c) {
    const Doc& d = *c.doc;
    switch (d.kind) {
      case Doc::Kind::Text:
        write(d.text);
        break;
      case Doc::Kind::Space:
        if (!at_line_start_) write(" ");
        break;
      case Doc::Kind::Line:
        if (c.mode == Mode::Flat) {
          if (!at_line_start_) write(" ");
        } else {
          newline(c.indent);
        }
        break;
      case Doc::Kind::SoftLine:
        if (c.mode == Mode::Break) newline(c.indent);
        break;
      case Doc::Kind::HardLine:
        newline(c.indent);
        break;
      case Doc::Kind::BlankLine:
        newline(c.indent);
        if (!out_.empty() && newlines_ < 2) {
          out_ += '\n';
          ++newlines_;
        }
        break;
      case Doc::Kind::Group: {
        Mode mode = c.mode;
        if (d.flat && !d.hard) {
          mode = Mode::Flat;
        } else if (mode == Mode::Break) {
          mode = !d.hard && fits({c.indent, Mode::Flat, &d}, stack_, room()) ? Mode::Flat
                                                                             : Mode::Break;
        }
        push_parts(d, c.indent, mode);
        break;
      }
      case Doc::Kind::Nest:
      case Doc::Kind::Concat:
        push_parts(d, c.indent + d.indent, c.mode);
        break;
      case Doc::Kind::Fill:
        fill(d, c);
        break;
    }
  }

  // Contents are laid out one after the other; a separator breaks only when the
  // next content does not fit on the line after it.
  void fill(const Doc& d, const Command& c) {
    const std::size_t depth = stack_.size();
    for (std::size_t i = 0; i < d.parts.size(); ++i) {
      const Doc& part = d.parts[i];
      Mode mode = c.mode;
      if (i % 2 == 1 && mode == Mode::Break && i + 1 < d.parts.size()) {
        const Doc& next = d.parts[i + 1];
        mode =
            !next.hard && flat_width(part) + flat_width(next) <= room() ? Mode::Flat : Mode::Break;
      }
      stack_.push_back({c.indent, mode, &part});
      drain_until(depth);
    }
  }

  // Runs commands until the stack is back to `depth` entries.
  void drain_until(std::size_t depth) {
    while (stack_.size() > depth) {
      const Command c = stack_.back();
      stack_.pop_back();
      step(c);
    }
  }

  void push_parts(const Doc& d, int indent, Mode mode) {
    for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it)
      stack_.push_back({indent, mode, &*it});
  }

  int room() const { return width_ - (at_line_start_ ? pending_indent_ : column_); }

  void write(std::string_view s) {
    if (at_line_start_) {
      out_.append(static_cast<std::size_t>(pending_indent_), ' ');
      column_ = pending_indent_;
      at_line_start_ = false;
    }
    out_ += s;
    const auto newline_at = s.rfind('\n');
    if (newline_at == std::string_view::npos) {
      column_ += width_of(s);
    } else {
      column_ = width_of(s.substr(newline_at + 1));
    }
    newlines_ = 0;
  }

  // A line break, unless the line is still empty: consecutive breaks make one, and
  // the indentation of the next line is that of the last break.
  void newline(int indent) {
    pending_indent_ = indent;
    if (at_line_start_) return;
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
    out_ += '\n';
    at_line_start_ = true;
    column_ = 0;
    ++newlines_;
  }

  int width_;
  std::vector<Command> stack_;
  std::string out_;
  int column_ = 0;
  int pending_indent_ = 0;  // indentation of the line being started
  bool at_line_start_ = true;
  int newlines_ = 2;  // no blank line at the top of the file
};

}  // namespace

Doc text(std::string s) {
  Doc d = leaf(Doc::Kind::Text, s.find('\n') != std::string::npos);
  d.text = std::move(s);
  return d;
}
Doc space() {
  return leaf(Doc::Kind::Space);
}
Doc line() {
  return leaf(Doc::Kind::Line);
}
Doc softline() {
  return leaf(Doc::Kind::SoftLine);
}
Doc hardline() {
  return leaf(Doc::Kind::HardLine, true);
}
Doc blankline() {
  return leaf(Doc::Kind::BlankLine, true);
}
Doc nest(int indent, Doc d) {
  return container(Doc::Kind::Nest, {std::move(d)}, indent);
}
Doc group(Doc d) {
  return container(Doc::Kind::Group, {std::move(d)});
}
Doc flat_group(Doc d) {
  Doc g = group(std::move(d));
  g.flat = true;
  return g;
}
Doc fill(std::vector<Doc> parts) {
  return container(Doc::Kind::Fill, std::move(parts));
}
Doc cat(std::vector<Doc> parts) {
  return container(Doc::Kind::Concat, std::move(parts));
}

void append(Doc& to, Doc d) {
  to.hard = to.hard || d.hard;
  to.parts.push_back(std::move(d));
}

int flat_width(const Doc& root) {
  int width = 0;
  std::vector<const Doc*> stack{&root};
  while (!stack.empty()) {
    const Doc* d = stack.back();
    stack.pop_back();
    switch (d->kind) {
      case Doc::Kind::Text:
        width += width_of(d->text);
        break;
      case Doc::Kind::Space:
      case Doc::Kind::Line:
        width += 1;
        break;
      default:
        for (const auto& p : d->parts) stack.push_back(&p);
        break;
    }
  }
  return width;
}

std::string render(const Doc& d, int width) {
  return Renderer(width).run(d);
}

}  // namespace tamis::format
