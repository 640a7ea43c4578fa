/* The lines prose.credit_like may hold for, found in one pass over a folded text
 * (checks.credits._lines_py in C). */
#include "_speedups.h"
#include <stdint.h>
#include <string.h>

#define MAX_HINTS 64

/* A white space character of a folded text (scan.lowered: ASCII, every other character
 * "?"): the ASCII ones str.split() splits at, and "?" (which stands for the others). */
static inline int
is_break(unsigned char c)
{
    return c == '?' || c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

#define BIT(map, pair) ((map)[(pair) >> 6] >> ((pair) & 63) & 1)
#define SET(map, pair) ((map)[(pair) >> 6] |= (uint64_t)1 << ((pair) & 63))
#define MAX_STRIDE 2

/* The three bytes at h[0:3], hashed to 16 bits: a bit of ``Hints.grams``. Reads h[3]
 * too (a str's data ends in a NUL, so h[3] is there when h[2] is). */
static inline unsigned
gram(const unsigned char *h)
{
    uint32_t x;
    memcpy(&x, h, sizeof x);
#if PY_BIG_ENDIAN
    x >>= 8;
#else
    x &= 0xffffffu;
#endif
    return x * 0x9e3779b1u >> 16;
}

/* The hint words, grouped by their first byte; a bitmap of their first two bytes
 * (``pairs``), and one of the three bytes at each of their first ``stride`` offsets
 * (``grams``, hashed): a hint of ``stride`` + 2 bytes or more has one of those offsets
 * at a multiple of ``stride`` from the line's start, so only those positions are
 * looked at first (a few in a hundred are in ``grams``). */
typedef struct {
    uint64_t pairs[1024], grams[1024];
    uint64_t tails[128];  /* bit m of tails[b]: an agency of m bytes (63: or more) starts with b */
    Py_ssize_t stride;
    const unsigned char *word[MAX_HINTS];
    Py_ssize_t len[MAX_HINTS];
    unsigned char from[257];  /* the hints starting with byte b are word[from[b]:from[b+1]] */
} Hints;

/* Fill ``t`` from the tuple ``hints`` (ASCII strs of two characters or more): 0, or -1
 * with an error set. */
static int
hints_of(PyObject *hints, Hints *t)
{
    Py_ssize_t count = PyTuple_GET_SIZE(hints), k;
    if (count > MAX_HINTS) {
        PyErr_SetString(PyExc_ValueError, "credit_candidates: too many hints");
        return -1;
    }
    memset(t->pairs, 0, sizeof t->pairs);
    memset(t->grams, 0, sizeof t->grams);
    t->stride = MAX_STRIDE;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *h = PyTuple_GET_ITEM(hints, i);
        if (!need_str(h, "credit_candidates"))
            return -1;
        if (!PyUnicode_IS_ASCII(h) || PyUnicode_GET_LENGTH(h) < 3) {
            PyErr_SetString(PyExc_ValueError,
                            "credit_candidates: a hint is not ASCII of three characters or more");
            return -1;
        }
        if (PyUnicode_GET_LENGTH(h) - 2 < t->stride)
            t->stride = PyUnicode_GET_LENGTH(h) - 2;
    }
    unsigned char at[257] = {0};  /* a counting sort by the first byte */
    for (Py_ssize_t i = 0; i < count; i++)
        at[PyUnicode_1BYTE_DATA(PyTuple_GET_ITEM(hints, i))[0] + 1]++;
    for (int b = 0; b < 256; b++)
        at[b + 1] = (unsigned char)(at[b + 1] + at[b]);
    memcpy(t->from, at, sizeof at);
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *h = PyTuple_GET_ITEM(hints, i);
        const unsigned char *w = PyUnicode_1BYTE_DATA(h);
        k = at[w[0]]++;
        t->word[k] = w;
        t->len[k] = PyUnicode_GET_LENGTH(h);
        SET(t->pairs, (unsigned)w[0] << 8 | w[1]);
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        const unsigned char *w = PyUnicode_1BYTE_DATA(PyTuple_GET_ITEM(hints, i));
        for (Py_ssize_t j = 0; j < t->stride; j++)
            SET(t->grams, gram(w + j));
    }
    return 0;
}

/* Whether a hint starts at h[p] and ends by h[end]. */
static inline int
hint_at(const Hints *t, const unsigned char *h, Py_ssize_t p, Py_ssize_t end)
{
    if (!BIT(t->pairs, (unsigned)h[p] << 8 | h[p + 1]))
        return 0;
    for (int k = t->from[h[p]]; k < t->from[h[p] + 1]; k++)
        if (t->word[k][1] == h[p + 1] && p + t->len[k] <= end
            && memcmp(h + p + 2, t->word[k] + 2, (size_t)(t->len[k] - 2)) == 0)
            return 1;
    return 0;
}

/* Whether h[start:end] holds one of the hints: the three bytes at every ``stride``-th
 * position, and the starts they may be part of when they are in ``grams``. */
static int
holds_hint(const Hints *t, const unsigned char *h, Py_ssize_t start, Py_ssize_t end)
{
    const Py_ssize_t stride = t->stride;
    if (end - start < 3)
        return 0;  /* every hint is longer */
    for (const unsigned char *q = h + start, *stop = h + end - 2; q < stop; q += stride) {
        if (!BIT(t->grams, gram(q)))
            continue;
        Py_ssize_t j = q - h;
        for (Py_ssize_t p = j - stride + 1 < start ? start : j - stride + 1; p <= j; p++)
            if (hint_at(t, h, p, end))
                return 1;
    }
    return 0;
}

/* The bit of ``tails`` for a word of ``len`` bytes starting with the byte ``first``. */
static inline uint64_t
tail_bit(const uint64_t *tails, unsigned char first, Py_ssize_t len)
{
    return tails[len ? first : 0] >> (len < 63 ? len : 63) & 1;
}

/* Whether the last word of h[start:end] is one of ``agencies`` (a tuple of ASCII strs
 * that ``tails`` describes): the word after the last break once the breaks and " )]."
 * ending the line are gone, less the "(" and "/" starting it. */
static int
tail_is(const uint64_t *tails, PyObject *agencies, const unsigned char *h, Py_ssize_t start,
        Py_ssize_t end)
{
    while (end > start && (is_break(h[end - 1]) || h[end - 1] == ')' || h[end - 1] == ']'
                           || h[end - 1] == '.'))
        end--;
    Py_ssize_t from = end;
    while (from > start && !is_break(h[from - 1]))
        from--;
    while (from < end && (h[from] == '(' || h[from] == '/'))
        from++;
    if (!tail_bit(tails, h[from], end - from))
        return 0;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(agencies); k++) {
        PyObject *w = PyTuple_GET_ITEM(agencies, k);
        if (PyUnicode_GET_LENGTH(w) == end - from
            && memcmp(h + from, PyUnicode_1BYTE_DATA(w), (size_t)(end - from)) == 0)
            return 1;
    }
    return 0;
}

/* The indices of the lines of ``seq`` (lines.Line values of a text of ``n`` characters)
 * whose content in the folded text ``h`` holds a hint or ends in an agency. */
static PyObject *
candidates_in(const Hints *t, PyObject *agencies, const unsigned char *h, Py_ssize_t n,
              PyObject *seq)
{
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *ln = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyTuple_Check(ln) || PyTuple_GET_SIZE(ln) < 6) {
            PyErr_SetString(PyExc_TypeError, "expected lines.Line values");
            Py_CLEAR(out);
            break;
        }
        Py_ssize_t start = PyLong_AsSsize_t(PyTuple_GET_ITEM(ln, 1));
        Py_ssize_t end = PyLong_AsSsize_t(PyTuple_GET_ITEM(ln, 2));
        if ((start == -1 || end == -1) && PyErr_Occurred()) {
            Py_CLEAR(out);
            break;
        }
        if (start < 0 || end < start || end > n) {
            PyErr_SetString(PyExc_ValueError, "credit_candidates: a line is outside the text");
            Py_CLEAR(out);
            break;
        }
        if ((tail_is(t->tails, agencies, h, start, end) || holds_hint(t, h, start, end))
            && push_index(out, i) < 0)
            Py_CLEAR(out);
    }
    return out;
}

/* The tables of the last hints and agencies (tuples of strs: they cannot change, and
 * the references keep the words ``Hints.word`` points into alive). A call uses them
 * while it runs: nothing it calls runs Python code, which could make others. */
static PyObject *kept_hints, *kept_agencies;
static Hints kept_tables;

/* The tables for ``hints`` and ``agencies``, made when they are not the last ones; NULL
 * with an error set when a word is not what credit_candidates takes. */
static const Hints *
tables_for(PyObject *hints, PyObject *agencies)
{
    Hints *t = &kept_tables;
    if (hints == kept_hints && agencies == kept_agencies)
        return t;
    Py_CLEAR(kept_hints);  /* the tables are about to change */
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(agencies); k++) {
        PyObject *w = PyTuple_GET_ITEM(agencies, k);
        if (!need_str(w, "credit_candidates"))
            return NULL;
        if (!PyUnicode_IS_ASCII(w)) {
            PyErr_SetString(PyExc_ValueError, "credit_candidates: an agency is not ASCII");
            return NULL;
        }
    }
    if (hints_of(hints, t) < 0)
        return NULL;
    memset(t->tails, 0, sizeof t->tails);
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(agencies); k++) {
        PyObject *w = PyTuple_GET_ITEM(agencies, k);
        Py_ssize_t len = PyUnicode_GET_LENGTH(w);
        t->tails[len ? PyUnicode_1BYTE_DATA(w)[0] : 0] |= (uint64_t)1 << (len < 63 ? len : 63);
    }
    kept_hints = Py_NewRef(hints);
    Py_XSETREF(kept_agencies, Py_NewRef(agencies));
    return t;
}

/* credit_candidates(text, lines, hints, agencies) -> list | None: the indices of the
 * ``lines`` whose content in the folded ``text`` holds one of ``hints`` or ends in one
 * of ``agencies``; None when the text cannot be folded (checks.credits._lines_py). */
PyObject *
speedups_credit_candidates(PyObject *self, PyObject *args)
{
    PyObject *text, *lines, *hints, *agencies;
    if (!PyArg_ParseTuple(args, "UOO!O!:credit_candidates", &text, &lines, &PyTuple_Type,
                          &hints, &PyTuple_Type, &agencies))
        return NULL;
    const Hints *t = tables_for(hints, agencies);
    if (t == NULL)
        return NULL;
    PyObject *seq = PySequence_Fast(lines, "lines must be a sequence");
    if (seq == NULL)
        return NULL;
    int odd = 0;
    unsigned char *h = fold_take(text, &odd);  /* gram() reads up to 4 bytes past a line */
    PyObject *out = h == NULL ? (odd ? Py_NewRef(Py_None) : NULL)
                              : candidates_in(t, agencies, h, PyUnicode_GET_LENGTH(text), seq);
    if (h != NULL)
        fold_done(text, h);
    Py_DECREF(seq);
    return out;
}
