#pragma once
// Facts about single tokens that the error hints, the token passes and the AST builder
// all need: their source range, how to quote them, what they can start or stand for.
#include <antlr4-runtime.h>

#include <cstdint>
#include <optional>
#include <string>

#include "support/source.hpp"

namespace tamis::syntax {

std::uint32_t u32(std::size_t v);
SourceRange token_range(FileId file, const antlr4::Token* t);
SourceRange context_range(FileId file, antlr4::ParserRuleContext* ctx);
std::string quote_token(const antlr4::Token* t);
bool starts_operand(const antlr4::Token* t);
bool name_like_keyword(const antlr4::Token* t);
bool operand_follows(const antlr4::Token* t);
bool keyword_as_operand(const antlr4::Token* before, const antlr4::Token* keyword);
std::string reserved_word_hint(const antlr4::Token* keyword);
std::optional<std::string> capitalised_keyword(const antlr4::Token* t);
std::string lower_case_keyword_hint(const std::string& keyword);

}  // namespace tamis::syntax
