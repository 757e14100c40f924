// Tamis rule language. Keywords are French (the spelling used in rules/ and
// examples/), with unaccented spellings and English aliases accepted.
// The parse tree never leaves compiler/syntax: it is converted to the AST at once.
grammar Tamis;

file : declaration* EOF ;

declaration
  : ruleSetDecl
  | enumDecl
  | schemaDecl
  | tableDecl
  | letDecl
  | decisionDecl
  | outputDecl
  | summaryDecl
  | testDecl
  ;

// règles "cop2025" version "2025.1" étend "../cop2024"
ruleSetDecl : RULESET name=STRING (VERSION version=STRING)? (EXTENDS parent=STRING)? ;

// énumération Maturite { avant_projet "Avant-projet" alias "AVP" … }
// A child rule set adds to its parent's declarations with `complète`.
enumDecl   : (extend=EXTEND | replace=REPLACE)? ENUM name=IDENT '{' enumValue* '}' ;
// aisne "Aisne (02)" code "02" alias "Aisne": label for people, code for result files.
enumValue  : name=IDENT label=STRING? (CODE code=STRING)? aliasList? ;
aliasList  : ALIAS STRING (',' STRING)* ;

// schéma Dossier { maturite : Maturite? colonne "Maturité du projet" … }
schemaDecl : (extend=EXTEND | replace=REPLACE)? SCHEMA name=IDENT '{' fieldDecl* '}' ;
fieldDecl  : name=IDENT ':' typeRef COLUMN column=STRING ;

typeRef
  : SET_OF elem=IDENT                    # setType
  | name=IDENT optional='?'?             # namedType
  ;

// table Levier (secteur : texte, axes : ensemble de Axe) { "Vélo" alias "Report modal" | "Transports" | {climat} }
tableDecl
  : replace=REPLACE? TABLE name=IDENT '(' columnDecl (',' columnDecl)* ')' '{' tableEntry* '}'
  | extend=EXTEND TABLE name=IDENT '{' tableEntry* '}'
  ;
tableEntry
  : replace=REPLACE? tableRow
  | REMOVE key=STRING
  ;
columnDecl : name=IDENT ':' typeRef ;
tableRow   : key=STRING aliasList? ('|' cell)* ;
cell
  : EMPTY                                # emptyCell
  | literal                              # literalCell
  | '{' (cellItem (',' cellItem)*)? '}'  # setCell
  ;
cellItem : IDENT | STRING ;

// soit mature "projet assez mûr" = … / soit autres : ensemble de Thematique = {…}
// The optional text says in words what the definition means, for explanations.
letDecl : replace=REPLACE? LET name=IDENT label=STRING? (':' typeRef)? '=' expr ;

// décision categorie : Categorie { règle "R1" si … alors a_remonter parce que "…" … sinon non_remonte }
decisionDecl
  : replace=REPLACE? DECISION name=IDENT ':' type=IDENT policy=hitPolicy? '{' decisionEntry* fallbackDecl? '}'
  | extend=EXTEND DECISION name=IDENT '{' decisionEntry* fallbackDecl? '}'
  ;
decisionEntry
  : replace=REPLACE? ruleDecl
  | REMOVE RULE name=STRING
  ;
hitPolicy    : FIRST | UNIQUE | COLLECT ;
ruleDecl     : RULE name=STRING IF cond=expr THEN result=expr reason? ;
fallbackDecl : replace=REPLACE? OTHERWISE (name=STRING THEN)? result=expr reason? ;
reason       : BECAUSE text=STRING ;

// sortie { "ID" = id  "regle" = nom_regle(categorie) … }
outputDecl : replace=REPLACE? OUTPUT '{' outputColumn* '}' ;
outputColumn : (STRING | IDENT) '=' expr ;

// synthèse "Bilan" lignes categorie colonnes departement
// synthèse "Leviers activés" lignes leviers si categorie dans {a_remonter, a_travailler}
// Counts dossiers per value of `lignes` (each member, for a set) and of `colonnes`.
summaryDecl : SUMMARY title=STRING ROWS rows=expr (COLUMNS cols=expr)? (IF cond=expr)? ;

// test "un projet vélo prêt va en COP 2024" {
//   leviers = "Vélo, Report modal"      (cells as an export writes them)
//   attendu categorie = a_remonter par "R1 contribue et mature"
// }
testDecl : TEST name=STRING '{' testGiven* testExpect+ '}' ;
testGiven : field=IDENT '=' value=literal ;
testExpect : EXPECT (IDENT | STRING) '=' expr (BY ruleName=STRING)? ;

// Precedence, from the loosest: ou, et, non (prefix), dans / pas dans / contient, the
// comparisons, par défaut, + -, * /, - (prefix), then `.` and the tests (suffixes).
// Binary operators group to the left. `non` negates a whole condition (`non a = b et c`
// is (non (a = b)) et c) and, as Python's `not`, stands only at its head: `a = (non b)`
// needs its brackets. `-` binds tighter than every binary operator: `- a.b * c` is
// (-(a.b)) * c.
// The rules below are flat lists of operands and operators, which the converter groups by
// precedence (compiler/syntax/parse.cpp): every choice is made on the next token, so ANTLR
// never runs its ATN prediction in an expression, and an operand is five rules deep, not
// one rule a level (each costs the ANTLR runtime an allocation and two dynamic_casts). A
// left-recursive `expr` predicted at every operator (about 20,000 instructions a
// prediction while its cache is cold, on every run) and took minutes on a chain of a
// thousand `non a =`.
expr      : condition ((AND | OR) condition)* ;
// A `non` that no operand follows is the boolean false: the parser receives it as FALSE
// (parse.cpp, read_bare_non).
condition : NOT* operation ;
operation
  : unaryExpr ((IN | NOT_IN | CONTAINS | '=' | NEQ | '<' | LE | '>' | GE | DEFAULT | '+' | '-' | '*' | '/') unaryExpr)*
  ;
unaryExpr
  : '-' unaryExpr                                  # negExpr
  | primary suffix*                                # postfixExpr
  ;
suffix
  : '.' IDENT                                      # memberSuffix
  | test=(IS_SET | IS_NOT_SET | IS_EMPTY | IS_NOT_EMPTY) # testSuffix
  ;

primary
  : valueLiteral                                   # literalPrimary
  | '{' (expr (',' expr)*)? '}'                    # setPrimary
  | '(' expr ')'                                   # parenPrimary
  | IDENT ('(' (expr (',' expr)*)? ')')?           # namePrimary   // a call when followed by (
  ;

// A bare `non` is the boolean false, as in the exports' Oui/Non.
literal      : valueLiteral | NOT ;
valueLiteral : INTEGER | DECIMAL | STRING | DATE | TRUE | FALSE ;

// ---------------------------------------------------------------- lexer
// `tamis` lexes with compiler/syntax/lexer.cpp, these rules written by hand (a single pass,
// no ATN to deserialise, no cold DFA): change both together. tests/unit/test_lexer.cpp
// checks that it gives exactly the tokens of the lexer generated from these rules.
// Multi-word keywords are single tokens so that "est renseigné" never splits.
fragment SP : [ \t]+ ;
fragment APOS : '\'' | '\u2019' ;

RULESET    : 'règles' | 'regles' | 'ruleset' ;
EXTENDS    : 'étend' | 'etend' | 'extends' ;
EXTEND     : 'complète' | 'complete' | 'extend' ;
REPLACE    : 'remplace' | 'replace' ;
REMOVE     : 'retire' | 'remove' ;
VERSION    : 'version' ;
CODE       : 'code' ;
TEST       : 'test' ;
EXPECT     : 'attendu' | 'expect' ;
BY         : 'par' | 'by' ;
ENUM       : 'énumération' | 'enumeration' | 'enum' ;
ALIAS      : 'alias' ;
SCHEMA     : 'schéma' | 'schema' ;
COLUMN     : 'colonne' | 'column' ;
SET_OF     : ('ensemble' SP 'de') | ('set' SP 'of') ;
TABLE      : 'table' ;
EMPTY      : 'vide' | 'empty' ;
LET        : 'soit' | 'let' ;
DECISION   : 'décision' | 'decision' ;
FIRST      : 'première' | 'premiere' | 'first' ;
UNIQUE     : 'unique' ;
COLLECT    : 'toutes' | 'collect' ;
RULE       : 'règle' | 'regle' | 'rule' ;
IF         : 'si' | 'if' ;
THEN       : 'alors' | 'then' ;
OTHERWISE  : 'sinon' | 'otherwise' ;
BECAUSE    : ('parce' SP 'que') | 'because' ;
OUTPUT     : 'sortie' | 'output' ;
SUMMARY    : 'synthèse' | 'synthese' | 'summary' ;
ROWS       : 'lignes' | 'rows' ;
COLUMNS    : 'colonnes' | 'columns' ;

// The French adjectives may agree with the value they follow: renseigné, renseignée,
// renseignés, renseignées (each with or without its accent), vide, vides.
IS_NOT_SET   : ('n' APOS 'est' SP 'pas' SP FILLED) | ('non' SP FILLED) | ('is' SP 'not' SP 'set') ;
IS_SET       : ('est' SP FILLED) | ('is' SP 'set') ;
IS_NOT_EMPTY : ('n' APOS 'est' SP 'pas' SP 'vide' 's'?) | ('non' SP 'vide' 's'?) | ('is' SP 'not' SP 'empty') ;
IS_EMPTY     : ('est' SP 'vide' 's'?) | ('is' SP 'empty') ;
fragment FILLED : 'renseign' ('é' | 'e') ('e' | 's' | 'es')? ;
NOT_IN       : ('pas' SP 'dans') | ('not' SP 'in') ;
DEFAULT      : ('par' SP ('défaut' | 'defaut')) | 'default' ;
IN           : 'dans' | 'in' ;
CONTAINS     : 'contient' | 'contains' ;
AND          : 'et' | 'and' ;
OR           : 'ou' | 'or' ;
NOT          : 'non' | 'not' ;
TRUE         : 'oui' | 'vrai' | 'true' | 'yes' ;
FALSE        : 'faux' | 'false' | 'no' ;

NEQ : '≠' | '!=' | '<>' ;
LE  : '≤' | '<=' ;
GE  : '≥' | '>=' ;

DATE    : [0-9] [0-9] [0-9] [0-9] '-' [0-9] [0-9] '-' [0-9] [0-9] ;
DECIMAL : [0-9]+ '.' [0-9]+ ;
INTEGER : [0-9]+ ;
STRING  : '"' ( ~["\r\n\\] | '\\' . )* '"' ;
UNTERMINATED_STRING : '"' ( ~["\r\n\\] | '\\' . )* ;
// Names: letters of the Latin (ASCII, Latin-1 without × and ÷, Latin Extended-A and -B,
// Latin Extended Additional), Greek and Cyrillic alphabets, digits 0-9 and `_`.
// A handful of intervals on purpose: `\p{L}` and `\p{N}` are over a thousand, and the
// runtime deserialises them (quadratically) when any `tamis` command starts, ~40 M
// instructions. A letter of another script is an ERROR_CHAR, reported with a hint.
IDENT   : (LETTER | '_') (LETTER | [0-9_])* ;
fragment LETTER
  : [a-zA-Z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]
  | [\u0386\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03CE]
  | [\u0400-\u0481\u048A-\u04FF]
  ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
// Kept as a token (one scan to the end, never quadratic) so that it is reported.
// (It must not contain "*/": the lexer prefers the longest match.)
UNTERMINATED_COMMENT : '/*' ( ~'*' | '*'+ ~[*/] )* '*'* EOF ;
WS            : [ \t\r\n\u00A0\u202F\uFEFF]+ -> skip ;

// Catch-all so every stray character reaches the one error listener with its position.
ERROR_CHAR : . ;
