/*
 * The journal-json prefilter's line scan (src/journal/json-prefilter.ts holds the contract and the
 * rules), compiled to WebAssembly by build.sh. A port of the same decisions to a loop that searches with
 * 16-byte SIMD compares instead of one Buffer#indexOf call per needle and line.
 *
 * Memory: [0, CONFIG_END) the keyword tables JS writes once (from RECOGNISABLE), then the block JS
 * copies in at block_base(), padded with zeros on both sides so that every look past either end reads 0
 * (which, like JS's undefined, matches nothing here).
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;

/* Imports: the JS side's visit (returns whether the next lines are forced: json-pretty) and its boots. */
__attribute__((import_module("env"), import_name("visit"))) int visit(int start, int end, int index, int reason);
/* The earliest time of the boot whose 32 hex digits are at `id`: +infinity for null, NaN for an unknown boot. */
__attribute__((import_module("env"), import_name("boot_first_us"))) double boot_first_us(const u8 *id);

enum { KEEP_CONTENT = 1, KEEP_FRAMING = 2, KEEP_BOOT = 3 };
enum { NO_VALUE = -1, NOT_A_STRING = -2 };

#define CONFIG_BYTES 4096
#define PAD 64
static u8 config[CONFIG_BYTES];
/* Configuration layout (written by JS): for each table, a count byte, then per entry a length byte and the bytes. */
static const u8 *prefixes[64];
static int prefix_len[64];
static int prefix_count;
static const u8 *after_word[8];
static int after_word_len[8];
static int after_word_count;
static const u8 *job_ids[16];
static int job_id_len[16];
static int job_id_count;
static const u8 *sudo;
static int sudo_len;

extern u8 __heap_base;

__attribute__((export_name("config_area"))) u8 *config_area(void) { return config; }

static int read_table(int at, const u8 **items, int *lens, int *count, int max) {
  int n = config[at++];
  if (n > max) n = max;
  for (int i = 0; i < n; i++) {
    lens[i] = config[at++];
    items[i] = config + at;
    at += lens[i];
  }
  *count = n;
  return at;
}

__attribute__((export_name("configure"))) void configure(void) {
  int at = 0;
  at = read_table(at, prefixes, prefix_len, &prefix_count, 64);
  at = read_table(at, after_word, after_word_len, &after_word_count, 8);
  at = read_table(at, job_ids, job_id_len, &job_id_count, 16);
  int one;
  at = read_table(at, &sudo, &sudo_len, &one, 1);
}

/* The block lives after the heap base, PAD bytes in: JS grows memory to hold it. */
__attribute__((export_name("block_base"))) u8 *block_base(void) { return &__heap_base + PAD; }

static u8 last_boot[32];
static int have_last_boot;
/* The cached answer of boot_first_us(last_boot); valid until a visit (parsing a line may change it). */
static double last_first_us;
static int have_first_us;

static inline int starts_with(const u8 *b, int at, const u8 *what, int n) {
  if (at < 0) return 0;
  for (int i = 0; i < n; i++)
    if (b[at + i] != what[i]) return 0;
  return 1;
}

/* Index of the first `c` at or after `from`, or `len`. */
static inline int find1(const u8 *b, int from, int len, u8 c) {
  int i = from;
  v128_t vc = wasm_i8x16_splat((int8_t)c);
  for (; i + 16 <= len; i += 16) {
    int m = wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(b + i), vc));
    if (m) return i + __builtin_ctz(m);
  }
  for (; i < len; i++)
    if (b[i] == c) return i;
  return len;
}

/* Index of the first occurrence of the needle (2 bytes or more) at or after `from`, or `len`. */
static inline int findn(const u8 *b, int from, int len, const u8 *n, int nlen) {
  if (from < 0) from = 0;
  int i = from;
  v128_t first = wasm_i8x16_splat((int8_t)n[0]);
  v128_t last = wasm_i8x16_splat((int8_t)n[nlen - 1]);
  for (; i + nlen - 1 + 16 <= len; i += 16) {
    v128_t a = wasm_i8x16_eq(wasm_v128_load(b + i), first);
    v128_t z = wasm_i8x16_eq(wasm_v128_load(b + i + nlen - 1), last);
    unsigned m = (unsigned)wasm_i8x16_bitmask(wasm_v128_and(a, z));
    while (m) {
      int k = __builtin_ctz(m);
      if (starts_with(b, i + k + 1, n + 1, nlen - 2)) return i + k;
      m &= m - 1;
    }
  }
  for (; i + nlen <= len; i++)
    if (starts_with(b, i, n, nlen)) return i;
  return len;
}

#define SPACE 0x20
#define QUOTE 0x22
#define COLON 0x3a
#define CR 0x0d
#define RS 0x1e
#define UNDERSCORE 0x5f
#define BRACE_OPEN 0x7b
#define BRACE_CLOSE 0x7d

static const u8 GE[] = "GE";
static const u8 MESSA[] = "\"MESSA";
static const u8 ID_KEY[] = "_ID\"";
static const u8 BOOT_ID[] = "BOOT_ID\"";
static const u8 LTIME[] = "LTIME_TIMESTAMP\"";
static const u8 REA[] = "\"__REA";
static const u8 SOURCE_REA[] = "\"_SOURCE_REA";
static const u8 ESCAPE_U[] = "\\u";
#define LEN(s) ((int)sizeof(s) - 1)

static inline int value_at(const u8 *b, int at) {
  int i = at;
  u8 c = b[i];
  while (c == SPACE || c == 0x09 || c == CR) c = b[++i];
  if (c != COLON) return NO_VALUE;
  c = b[++i];
  while (c == SPACE || c == 0x09 || c == CR) c = b[++i];
  return c == QUOTE ? i + 1 : NOT_A_STRING;
}

static int message_may_match(const u8 *b, int v, int len) {
  for (int p = 0; p < prefix_count; p++)
    if (b[v] == prefixes[p][0] && starts_with(b, v, prefixes[p], prefix_len[p])) return 1;
  int space = find1(b, v, len, SPACE);
  if (space == len) return 0;
  if (space - 1 > v && b[space - 1] == COLON)
    for (int w = 0; w < after_word_count; w++)
      if (starts_with(b, space, after_word[w] + 1, after_word_len[w] - 1)) return 1;
  int colon = find1(b, v, len, COLON);
  if (colon == len) return 0;
  return colon > space && colon - 2 >= v && b[colon - 2] != SPACE && starts_with(b, colon - 1, sudo, sudo_len);
}

static int is_job_id(const u8 *b, int v, int jobs) {
  for (int j = 0; j < job_id_count; j++)
    if ((jobs >> j & 1) && starts_with(b, v, job_ids[j], job_id_len[j]) && b[v + job_id_len[j]] == QUOTE) return 1;
  return 0;
}

static int is_boot_id(const u8 *b, int at) {
  if (b[at + 32] != QUOTE) return 0;
  for (int i = at; i < at + 32; i++) {
    u8 c = b[i];
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return 0;
  }
  return 1;
}

static int is_framed(const u8 *b, int start, int end) {
  int i = start;
  while (b[i] == RS) i++;
  if (b[i] != BRACE_OPEN) return 0;
  u8 last = b[end - 1];
  return last == BRACE_CLOSE || (last == CR && b[end - 2] == BRACE_CLOSE);
}

static int same_id(const u8 *x, const u8 *y) {
  for (int i = 0; i < 32; i++)
    if (x[i] != y[i]) return 0;
  return 1;
}

/*
 * Scans `len` bytes of whole lines at block_base(), calling visit() for each line to parse. Returns the
 * number of lines. `forced`: the first lines must be parsed (a json-pretty object goes on). `jobs`: bit j
 * set when job MESSAGE_ID j alone makes a line worth parsing (not when the run drops what it gives).
 */
__attribute__((export_name("scan"))) int scan(int len, int forced, int jobs) {
  const u8 *b = block_base();
  int pos = 0;
  int index = 0;
  int next_ge = -1, next_escape = -1, next_boot = -1, next_time = -1;
  have_first_us = 0; /* JS may have parsed lines since the last call */
  while (pos < len) {
    int end = find1(b, pos, len, '\n');
    int parse = forced ? KEEP_FRAMING : 0;
    if (!parse) {
      if (next_escape < pos) next_escape = findn(b, pos, len, ESCAPE_U, LEN(ESCAPE_U));
      if (next_escape < end) parse = KEEP_CONTENT;
      else if (!is_framed(b, pos, end)) parse = KEEP_FRAMING;
      if (!parse) {
        if (next_ge < pos) next_ge = findn(b, pos, len, GE, LEN(GE));
        for (; next_ge < end; next_ge = findn(b, next_ge + 2, len, GE, LEN(GE))) {
          if (!starts_with(b, next_ge - 6, MESSA, LEN(MESSA))) continue;
          int is_id = starts_with(b, next_ge + 2, ID_KEY, LEN(ID_KEY));
          if (is_id && jobs == 0) continue;
          if (!is_id && b[next_ge + 2] != QUOTE) continue;
          int v = value_at(b, next_ge + (is_id ? 6 : 3));
          if (v == NO_VALUE) continue;
          if (v == NOT_A_STRING || (is_id ? is_job_id(b, v, jobs) : message_may_match(b, v, len))) {
            parse = KEEP_CONTENT;
            break;
          }
        }
      }
      if (!parse) {
        if (next_boot < pos) next_boot = findn(b, pos, len, BOOT_ID, LEN(BOOT_ID));
        int boot = -1; /* where this line's boot id is */
        for (; next_boot < end; next_boot = findn(b, next_boot + 8, len, BOOT_ID, LEN(BOOT_ID))) {
          if (b[next_boot - 1] != UNDERSCORE || b[next_boot - 2] != QUOTE) continue;
          int v = value_at(b, next_boot + 8);
          if (v == NO_VALUE) continue;
          if (v == NOT_A_STRING || !is_boot_id(b, v)) {
            parse = KEEP_BOOT;
            break;
          }
          if (boot != -1 && !same_id(b + boot, b + v)) {
            parse = KEEP_BOOT;
            break;
          }
          boot = v;
        }
        if (!parse && boot != -1) {
          if (!(have_last_boot && same_id(b + boot, last_boot))) {
            for (int i = 0; i < 32; i++) last_boot[i] = b[boot + i];
            have_last_boot = 1;
            have_first_us = 0;
          }
          if (!have_first_us) {
            last_first_us = boot_first_us(last_boot);
            have_first_us = 1;
          }
          double first_us = last_first_us;
          if (first_us != first_us) parse = KEEP_BOOT;
          else {
            if (next_time < pos) next_time = findn(b, pos, len, LTIME, LEN(LTIME));
            for (; next_time < end; next_time = findn(b, next_time + 16, len, LTIME, LEN(LTIME))) {
              if (!starts_with(b, next_time - 6, REA, LEN(REA)) && !starts_with(b, next_time - 12, SOURCE_REA, LEN(SOURCE_REA))) continue;
              int v = value_at(b, next_time + 16);
              if (v == NO_VALUE) continue;
              if (v == NOT_A_STRING) {
                parse = KEEP_BOOT;
                break;
              }
              uint64_t t = 0;
              int i = v;
              for (u8 c = b[i]; c >= 0x30 && c <= 0x39 && i - v < 17; c = b[++i]) t = t * 10 + (uint64_t)(c - 0x30);
              int digits = i - v;
              if (digits == 0 || digits > 16 || b[i] != QUOTE) {
                parse = KEEP_BOOT;
                break;
              }
              if ((double)t < first_us) {
                parse = KEEP_BOOT;
                break;
              }
            }
          }
        }
      }
    }
    if (parse) {
      forced = visit(pos, end, index, parse);
      have_first_us = 0;
    }
    pos = end + 1;
    index++;
  }
  return index;
}
