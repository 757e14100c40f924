#include "runtime/eval/csv_cell.hpp"
#include "runtime/eval/csv_cell_avx2.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <bit>
#include <cstring>
#include <iterator>
#include <new>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "runtime/eval/value_format.hpp"
#include "runtime/io/csv_writer.hpp"
#include "support/digit_words.hpp"
#include "support/scan.hpp"

namespace tamis::runtime {

using graph::Base;
using graph::Value;

namespace {

// Enumeration values or table rows, when a one-word set holds all of them.
bool one_word(const graph::RuleGraph& graph, const graph::Type& element) {
  if (element.base == Base::Enum) return graph.enums[element.ref].values.size() <= 64;
  if (element.base == Base::Row) return graph.tables[element.ref].rows.size() <= 64;
  return false;
}

// Digits and a sign, never quoted, at `p`, with room for the longest number; returns
// their end.
[[gnu::always_inline]] inline char* put_integer_to(char* p, std::int64_t integer) {
  const fmt::format_int digits(integer);
  return copy_bytes(p, digits.data(), digits.size());
}

// The same at the end of `out`, with room for one more byte.
[[gnu::always_inline]] inline char* put_integer(ByteSink& out, std::int64_t integer) {
  return put_integer_to(out.room(CsvCellWriter::kIntegerRoom), integer);
}

// io::put_csv_field out of line: the rare text that needs quotes (or is short) does not
// make put_text's callers save registers and a frame for the usual one.
[[gnu::noinline]] char* put_csv_field_apart(char* to, std::string_view text) {
  return io::put_csv_field(to, text);
}

#if defined(__SSE2__)
// The bytes of `x` put_text_to sends the general way, as mask bits: , " and 0 to 13 (\n, \r,
// and the rare other control bytes: one comparison of the byte with its minimum against 13,
// not two).
[[gnu::always_inline]] inline unsigned unusual_mask(__m128i x) {
  const auto is = [&](char c) { return _mm_cmpeq_epi8(x, _mm_set1_epi8(c)); };
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(13)), x);
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(is(','), is('"')), control)));
}
#endif

// What io::put_csv_field writes of `text`, at the end of `out`, with room for one more
// byte; returns its end. A text of 16 bytes or more that needs no quotes (most titles) is
// checked and copied in one pass, 16 bytes a step, instead of a scan and then a copy.
[[gnu::always_inline]] inline char* put_text_to(char* to, std::string_view text) {
  const std::size_t n = text.size();
#if defined(__SSE2__)
  if (n >= 16) {
    const char* const from = text.data();
    const auto copy = [&](std::size_t at) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + at));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(to + at), x);
      return unusual_mask(x) == 0;
    };
    bool ok = true;
    std::size_t i = 0;
    for (; ok && i + 16 <= n; i += 16) ok = copy(i);
    // The last bytes: the 16 that end the text, overlapping those copied.
    if (ok && i < n) ok = copy(n - 16);
    if (ok) return to + n;
  }
#endif
  return put_csv_field_apart(to, text);
}

[[gnu::always_inline]] inline char* put_text(ByteSink& out, std::string_view text) {
  return put_text_to(out.room(2 * text.size() + 3), text);
}

}  // namespace

CellKey cell_key(const graph::RuleGraph& graph, graph::NodeId node) {
  const graph::Node& n = graph.nodes[node];
  CellKey key;
  key.output = node;
  const auto finite_value = [](const graph::Type& t) {
    return !t.set && (t.base == Base::Enum || t.base == Base::Row);
  };
  switch (n.op) {
    case graph::Op::Label:   // label or key of one value
    case graph::Op::Member:  // `row.column`
      if (!finite_value(graph.nodes[n.a].type)) break;
      key.kind = CellKey::Kind::Id;
      key.node = n.a;
      return key;
    case graph::Op::MemberOfSet:  // `rows.column`
      if (!one_word(graph, graph.nodes[n.a].type.element())) break;
      key.kind = CellKey::Kind::Word;
      key.node = n.a;
      return key;
    case graph::Op::RuleName:
      key.kind = CellKey::Kind::Rule;
      key.decision = n.a;
      return key;
    default:
      break;
  }
  if (finite_value(n.type)) {
    key.kind = CellKey::Kind::Id;
    key.node = node;
  } else if (n.type.set && one_word(graph, n.type.element())) {
    key.kind = CellKey::Kind::Word;
    key.node = node;
  }
  return key;
}

CsvCellWriter::CsvCellWriter(const graph::RuleGraph& graph, const graph::Type& type)
    : graph_(graph), type_(type) {
  init_finite();
}

CsvCellWriter::CsvCellWriter(const graph::RuleGraph& graph, const CellKey& key)
    : graph_(graph), type_(graph.nodes[key.output].type), key_(key) {
  init_finite();
  if (key.kind == CellKey::Kind::Id || key.kind == CellKey::Kind::Rule) init_indexed();
  if (key.kind == CellKey::Kind::Word) kept_.open();
}

void CsvCellWriter::init_finite() {
  if (type_.base != Base::Enum && type_.base != Base::Row) return;
  finite_ = true;
  std::vector<std::string_view> texts;
  if (type_.base == Base::Enum) {
    for (const auto& v : graph_.enums[type_.ref].values) texts.emplace_back(v.code);
  } else {
    for (const auto& r : graph_.tables[type_.ref].rows) texts.emplace_back(r.key);
  }
  quoted_.assign(graph::words_for(texts.size()), 0);
  whole_set_ = 2;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::string cell;
    io::append_csv_field(cell, texts[i]);
    longest_cell_ = std::max(longest_cell_, cell.size());
    cells_.push_back(std::move(cell));
    std::string joined = " | ";
    io::append_csv_escaped(joined, texts[i]);
    whole_set_ += joined.size();
    joined_.push_back({static_cast<std::uint32_t>(joined_bytes_.size()),
                       static_cast<std::uint32_t>(joined.size())});
    joined_bytes_.append(joined);
    joined_bytes_.append(16 - joined.size() % 16, '\0');  // room for copy_padded
    if (io::csv_needs_quotes(texts[i])) quoted_[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  joined_bytes_.append(16, '\0');  // copy_padded reads a first member's 16 bytes past it
}

// Every value the column can take, by index, written as write_value() would.
void CsvCellWriter::init_indexed() {
  const graph::Node& n = graph_.nodes[key_.output];
  std::vector<Value> values;
  if (key_.kind == CellKey::Kind::Rule) {
    const graph::Decision& d = graph_.decisions[key_.decision];
    values.push_back(Value::missing());  // kNoRule
    values.push_back(d.fallback ? Value::of_text(d.fallback->name) : Value::missing());
    for (const auto& rule : d.rules) values.push_back(Value::of_text(rule.name));
  } else {
    const graph::Type& of = graph_.nodes[key_.node].type;
    const std::size_t count = of.base == Base::Enum ? graph_.enums[of.ref].values.size()
                                                    : graph_.tables[of.ref].rows.size();
    for (std::uint32_t id = 0; id < count; ++id) {
      if (key_.node == key_.output) {
        values.push_back(Value::of_id(id));
      } else if (n.op == graph::Op::Member) {
        values.push_back(graph_.tables[of.ref].rows[id].cells[n.b]);
      } else if (of.base == Base::Enum) {  // Label
        values.push_back(Value::of_text(graph_.enums[of.ref].values[id].label));
      } else {
        values.push_back(Value::of_text(graph_.tables[of.ref].rows[id].key));
      }
    }
    values.push_back(Value::missing());  // id_index of a missing value
  }
  for (const Value& v : values) {
    ByteSink cell;
    write_value(cell, v, '\0');
    const std::string_view bytes = cell.view().substr(0, cell.size() - 1);
    indexed_.push_back({static_cast<std::uint32_t>(indexed_bytes_.size()),
                        static_cast<std::uint32_t>(bytes.size())});
    ready_room_ = std::max(ready_room_, bytes.size() + kReadyRoom);
    indexed_bytes_.append(bytes);
    indexed_bytes_.append(16 - bytes.size() % 16, '\0');  // room for copy_padded
  }
  indexed_count_ = indexed_.size();
}

[[gnu::always_inline]] inline void CsvCellWriter::write_value(ByteSink& out, const Value& v,
                                                              char after) const {
  if (!v.present) {
    out.put(after);
    return;
  }
  if (finite_) {
    // A set's members by copy_padded: up to 16 bytes written past its cell.
    char* p = out.room((type_.set ? whole_set_ + kReadyRoom : longest_cell_) + 1);
    if (type_.set) {
      p = members(p, v);
    } else {
      const std::string& cell = cells_[v.id];
      p = copy_bytes(p, cell.data(), cell.size());
    }
    *p++ = after;
    out.commit(p);
    return;
  }
  if (type_.set && type_.base == Base::Text) {
    if (v.size == 0) {  // the usual list of unknown labels: without a call
      out.put(after);
      return;
    }
    texts(out, v, after);
    return;
  }
  char* p = nullptr;
  if (!type_.set && type_.base == Base::Boolean) {
    p = copy_bytes(out.room(4), v.boolean ? "oui" : "non", 3);
  } else if (!type_.set && type_.base == Base::Integer) {
    p = put_integer(out, v.integer);
  } else if (!type_.set && type_.base == Base::Text) {
    p = put_text(out, v.as_text());
  } else {
    thread_local std::string cell;
    cell.clear();
    append_value(cell, graph_, type_, v);
    p = io::put_csv_field(out.room(2 * cell.size() + 3), cell);
  }
  *p++ = after;
  out.commit(p);
}

void CsvCellWriter::append_text(ByteSink& out, const Value& v, char after) {
  char* p = v.present ? put_text(out, v.as_text()) : out.room(1);
  *p++ = after;
  out.commit(p);
}

char* CsvCellWriter::put_text_at(char* p, const Value& v, char after) {
  if (v.present) p = put_text_to(p, v.as_text());
  *p++ = after;
  return p;
}

#if defined(TAMIS_AVX512_DISPATCH)
TAMIS_TARGET_AVX2 char* CsvCellWriter::put_usual_text_at_avx2(char* p, const Value& v, char after) {
  return avx2::put_usual_text_at(p, v, after);
}

namespace {
char* put_fitting_text_at(char* p, const Value& text, char after) {
  return CsvCellWriter::text_fits(text) ? CsvCellWriter::put_text_at(p, text, after) : nullptr;
}
}  // namespace

CsvCellWriter::TextPut CsvCellWriter::text_put(bool avx2) {
  return avx2 ? put_usual_text_at_avx2 : put_fitting_text_at;
}
#else
char* CsvCellWriter::put_usual_text_at_avx2(char* p, const Value& v, char after) {
  return text_fits(v) ? put_text_at(p, v, after) : nullptr;
}

CsvCellWriter::TextPut CsvCellWriter::text_put(bool) {
  return put_usual_text_at_avx2;
}
#endif

char* CsvCellWriter::put_integer_apart(char* p, std::int64_t integer) {
  return put_integer_to(p, integer);
}

void CsvCellWriter::append(ByteSink& out, const Value& v, char after) const {
  write_value(out, v, after);
}

void CsvCellWriter::append_and_keep(ByteSink& out, const Value& v, std::uint64_t key,
                                    char after) const {
  const std::size_t begin = out.size();
  write_value(out, v, after);
  keep(key, out.view().substr(begin, out.size() - begin - 1));
}

void KeptCells::open(bool gaps) {
  static_assert(slot_of(0) == 0 && slot_of(kSlotZeroKey) != 0);
  slots_.resize(std::size_t{1} << kSlotBits);  // empty, of key 0: none goes to slot 0 …
  slots_[0].key = kSlotZeroKey;                // … but slot 0's (Slot)
  if (gaps) gaps_.resize(slots_.size());
  // 32 bytes more: put_avx2 reads up to 31 bytes past the last bytes kept.
  bytes_.reset(static_cast<char*>(std::calloc(kLimit + 32, 1)));
  if (!bytes_) throw std::bad_alloc();
}

bool KeptCells::keep(std::uint64_t key, std::string_view bytes, std::uint32_t gap) {
  const std::size_t index = slot_of(key);
  Slot& slot = slots_[index];
  // At least one block, even for no bytes: put() reads one.
  const std::size_t padded = std::max<std::size_t>(16, (bytes.size() + 15) / 16 * 16);
  if (slot_of(slot.key) == index || used_ + padded > kLimit) return false;  // held, or full
  slot = {key, static_cast<std::uint32_t>(used_), static_cast<std::uint32_t>(bytes.size())};
  if (!gaps_.empty()) gaps_[index] = gap;
  copy_bytes(bytes_.get() + used_, bytes.data(), bytes.size());
  used_ += padded;
  ready_room_ = std::max(ready_room_, bytes.size() + 32);
  return true;
}

void CsvCellWriter::keep(std::uint64_t key, std::string_view cell) const {
  if (kept_.keep(key, cell)) ready_room_ = std::max(ready_room_, cell.size() + kReadyRoom);
}

// Members in declaration order, by scanning the set bits.
char* CsvCellWriter::members(char* p, const Value& v) const {
  const std::size_t universe = cells_.size();
  bool quote = false;
  for (std::uint32_t w = 0; w < v.size && w < quoted_.size(); ++w) {
    quote = quote || (v.words[w] & quoted_[w]) != 0;
  }
  if (quote) *p++ = '"';
  std::size_t skip = 3;  // the first member's " | "
  for (std::uint32_t w = 0; w < v.size; ++w) {
    for (std::uint64_t bits = v.words[w]; bits != 0; bits &= bits - 1) {
      const std::size_t i = w * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      if (i >= universe) break;
      const Span member = joined_[i];
      p = copy_padded(p, joined_bytes_.data() + member.at + skip, member.size - skip);
      skip = 0;
    }
  }
  if (quote) *p++ = '"';
  return p;
}

namespace {

// Texts joined by " | " at `p`, when none holds a byte put_text_to sends the general way
// (the usual set of texts: no quotes, no escapes), each checked as it is copied, in one
// pass; returns the end, or nullptr (the room then holding anything) for any other. Each
// text is copied by loads that end at its end, never past it, and writes nothing past it.
char* put_usual_texts(char* p, const Value& v) {
#if defined(__SSE2__)
  unsigned unusual = 0;
  for (std::uint32_t i = 0; i < v.size; ++i) {
    if (i > 0) p = copy_bytes(p, " | ", 3);
    const char* const from = v.texts[i].data();
    const std::size_t n = v.texts[i].size();
    if (n >= 16) {
      const auto copy = [&](std::size_t at) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(from + at));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(p + at), x);
        unusual |= unusual_mask(x);
      };
      for (std::size_t at = 0; at + 16 < n; at += 16) copy(at);
      copy(n - 16);  // the 16 bytes that end it, overlapping those copied
    } else if (n >= 8) {
      const auto first = load_word<std::uint64_t>(from);
      const auto last = load_word<std::uint64_t>(from + n - 8);
      std::memcpy(p, &first, 8);
      std::memcpy(p + n - 8, &last, 8);
      unusual |=
          unusual_mask(_mm_set_epi64x(static_cast<long long>(last), static_cast<long long>(first)));
    } else if (n >= 4) {
      const auto first = load_word<std::uint32_t>(from);
      const auto last = load_word<std::uint32_t>(from + n - 4);
      std::memcpy(p, &first, 4);
      std::memcpy(p + n - 4, &last, 4);
      unusual |=
          unusual_mask(_mm_set_epi32(0, 0, static_cast<int>(last), static_cast<int>(first))) &
          0xFFu;
    } else {
      for (std::size_t at = 0; at < n; ++at) {
        const auto c = static_cast<unsigned char>(from[at]);
        unusual |= static_cast<unsigned>(c == ',' || c == '"' || c <= 13);
        p[at] = from[at];
      }
    }
    p += n;
  }
  return unusual == 0 ? p : nullptr;
#else
  (void)p;
  (void)v;
  return nullptr;
#endif
}

}  // namespace

// Texts joined by " | ", quoted when one of them must be (the separator never needs
// it), each quote doubled: what append_csv_field writes of the joined text.
void CsvCellWriter::texts(ByteSink& out, const Value& v, char after) const {
  std::size_t room = 3;
  for (std::uint32_t i = 0; i < v.size; ++i) room += 2 * v.texts[i].size() + 3;
  char* p = out.room(room);
  // The usual set (the unknown labels of a lever cell, the sectors of its levers) in one
  // pass, not a scan of each text and then a copy (texts 25.5 -> 20.4, memcpy 7.6 -> 6.6
  // instructions a dossier).
  if (char* end = put_usual_texts(p, v)) {
    *end++ = after;
    out.commit(end);
    return;
  }
  bool quote = false;
  for (std::uint32_t i = 0; i < v.size; ++i) quote = quote || io::csv_needs_quotes(v.texts[i]);
  if (quote) *p++ = '"';
  for (std::uint32_t i = 0; i < v.size; ++i) {
    if (i > 0) p = copy_bytes(p, " | ", 3);
    p = quote ? io::put_csv_escaped(p, v.texts[i])
              : copy_bytes(p, v.texts[i].data(), v.texts[i].size());
  }
  if (quote) *p++ = '"';
  *p++ = after;
  out.commit(p);
}

}  // namespace tamis::runtime
