/* A provenance record's ledger line: its JSON in UTF-8 (ledger._json_bytes_py in C). */
#include "_speedups.h"
#include <stdint.h>
#include <string.h>

/* json_bytes(obj, encode): ``encode(obj).encode("utf-8")`` for ``encode`` the standard
 * JSON encoder's ``encode`` with ensure_ascii=False and the default separators
 * (ledger._json_bytes_py in C). Dicts with str keys, lists, tuples, str, int, bool and
 * None are written here, straight into UTF-8; any other value (a float, a subclass, a
 * dict with a non-str key) is handed to ``encode``. A str holding a lone surrogate
 * raises UnicodeEncodeError, as str.encode does. */
typedef struct {
    char *data;
    Py_ssize_t len, cap;
    PyObject *encode;
} Buf;

static int
grow(Buf *b, Py_ssize_t more)
{
    if (b->len + more <= b->cap)
        return 0;
    Py_ssize_t cap = b->cap * 2 > b->len + more ? b->cap * 2 : b->len + more + 256;
    char *data = PyMem_Realloc(b->data, (size_t)cap);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

static int
put(Buf *b, const char *s, Py_ssize_t n)
{
    if (grow(b, n) < 0)
        return -1;
    memcpy(b->data + b->len, s, (size_t)n);
    b->len += n;
    return 0;
}

/* Whether one of the 8 bytes in ``w`` is one JSON escapes: below 0x20, '"' or '\\'.
 * (x - 0x01..) & ~x & 0x80.. is non-zero exactly when a byte of x is 0, and
 * (w - 0x20..) & ~w & 0x80.. when a byte of w is below 0x20; '"' and '\\' are below
 * 0x80, so w ^ c has the high bits of w and one mask serves all three tests. */
static inline int
escapes_in_word(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    return (((w - ones * 0x20) | (quote - ones) | (slash - ones)) & ~w & high) != 0;
}

/* The character after the backslash of each ASCII byte JSON escapes ('u': \u00XX), or 0. */
static const char ESCAPE[128] = {
    ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', ['\f'] = 'f', ['\r'] = 'r',
    [0] = 'u', [1] = 'u', [2] = 'u', [3] = 'u', [4] = 'u', [5] = 'u', [6] = 'u', [7] = 'u',
    [11] = 'u', [14] = 'u', [15] = 'u', [16] = 'u', [17] = 'u', [18] = 'u', [19] = 'u',
    [20] = 'u', [21] = 'u', [22] = 'u', [23] = 'u', [24] = 'u', [25] = 'u', [26] = 'u',
    [27] = 'u', [28] = 'u', [29] = 'u', [30] = 'u', [31] = 'u', ['"'] = '"', ['\\'] = '\\',
};

/* A JSON string: the UTF-8 of ``s`` between quotes, with '"', '\\' and the control
 * characters below U+0020 escaped as json's encoder escapes them. Room for the longest
 * result (6 bytes a byte) is made first, so the bytes are written without a check each;
 * runs of 8 bytes with nothing to escape (nearly all text) are copied a word at a time,
 * and a removed blank run ("\n\n\n") costs a table look-up a byte. */
static int
put_str(Buf *b, PyObject *s)
{
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(s, &n);
    if (u == NULL)
        return -1;
    if (n > (PY_SSIZE_T_MAX - b->len - 2) / 6) {
        PyErr_NoMemory();
        return -1;
    }
    if (grow(b, 6 * n + 2) < 0)
        return -1;
    char *out = b->data + b->len;
    *out++ = '"';
    for (Py_ssize_t i = 0; i < n;) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            if (!escapes_in_word(w)) {
                memcpy(out, &w, 8);
                out += 8;
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)u[i++];
        char e = c < 0x80 ? ESCAPE[c] : 0;
        if (e == 0) {
            *out++ = (char)c;
            continue;
        }
        *out++ = '\\';
        *out++ = e;
        if (e == 'u') {
            *out++ = '0';
            *out++ = '0';
            *out++ = Py_hexdigits[c >> 4];
            *out++ = Py_hexdigits[c & 15];
        }
    }
    *out++ = '"';
    b->len = out - b->data;
    return 0;
}

/* The JSON text of strings seen before. A record repeats a few short keys (``rule``,
 * ``in_span``...) and values (the rule code, ``op`` and ``fix`` of every edit), and
 * copying their text beats escaping it again. A slot holds its string (a strong
 * reference, so the address cannot be reused by another string); only short ASCII
 * strings with nothing to escape go in. */
enum { SLOTS = 64, SHORT_MAX = 24 };
typedef struct {
    PyObject *str;
    Py_ssize_t len;
    char text[SHORT_MAX + 4];
} Remembered;
static Remembered key_cache[SLOTS], value_cache[SLOTS];

/* ``s`` as put_str writes it, then ``tail`` (``n_tail`` bytes), kept in ``cache``. */
static int
put_remembered(Buf *b, PyObject *s, Remembered *cache, const char *tail, Py_ssize_t n_tail)
{
    Remembered *slot = &cache[((uintptr_t)s >> 4) % SLOTS];
    if (slot->str == s)
        return put(b, slot->text, slot->len);
    Py_ssize_t mark = b->len;
    if (put_str(b, s) < 0 || put(b, tail, n_tail) < 0)
        return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(s), len = b->len - mark;
    if (PyUnicode_IS_ASCII(s) && n <= SHORT_MAX && len == n + 2 + n_tail) {  /* no escape */
        Py_XSETREF(slot->str, Py_NewRef(s));
        memcpy(slot->text, b->data + mark, (size_t)len);
        slot->len = len;
    }
    return 0;
}

/* A dict key's text up to its value, ``"key": ``. */
static int
put_key(Buf *b, PyObject *k)
{
    return put_remembered(b, k, key_cache, ": ", 2);
}

/* ``encode(o)``, the standard encoder's text of a value not written here. */
static int
put_encoded(Buf *b, PyObject *o)
{
    PyObject *text = PyObject_CallOneArg(b->encode, o);
    if (text == NULL)
        return -1;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "json_bytes: encode() must return a str");
        Py_DECREF(text);
        return -1;
    }
    Py_ssize_t n;
    const char *u = PyUnicode_AsUTF8AndSize(text, &n);
    int r = u == NULL ? -1 : put(b, u, n);
    Py_DECREF(text);
    return r;
}

static int put_value(Buf *b, PyObject *o);

static int
put_items(Buf *b, PyObject *o)
{
    if (PyDict_CheckExact(o)) {
        Py_ssize_t i = 0, mark = b->len;
        PyObject *k, *v;
        if (put(b, "{", 1) < 0)
            return -1;
        for (int first = 1; PyDict_Next(o, &i, &k, &v); first = 0) {
            if (!PyUnicode_CheckExact(k)) {  /* keys json turns into strings: its own way */
                b->len = mark;
                return put_encoded(b, o);
            }
            Py_INCREF(v);
            int r = (first ? 0 : put(b, ", ", 2)) < 0 || put_key(b, k) < 0
                    || put_value(b, v) < 0;
            Py_DECREF(v);
            if (r)
                return -1;
        }
        return put(b, "}", 1);
    }
    PyObject *seq = PySequence_Fast(o, "json_bytes: a list or tuple");
    if (seq == NULL || put(b, "[", 1) < 0) {
        Py_XDECREF(seq);
        return -1;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        if ((i && put(b, ", ", 2) < 0) || put_value(b, PySequence_Fast_GET_ITEM(seq, i)) < 0) {
            Py_DECREF(seq);
            return -1;
        }
    }
    Py_DECREF(seq);
    return put(b, "]", 1);
}

static int
put_value(Buf *b, PyObject *o)
{
    if (PyUnicode_CheckExact(o))
        /* interned: a name or a code; removed and inserted texts, rarely interned,
         * would only crowd the cache */
        return PyUnicode_CHECK_INTERNED(o) && PyUnicode_GET_LENGTH(o) <= SHORT_MAX
               ? put_remembered(b, o, value_cache, "", 0) : put_str(b, o);
    if (PyLong_CheckExact(o)) {
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (v == -1 && PyErr_Occurred())
            return -1;
        if (overflow)
            return put_encoded(b, o);
        char digits[24];  /* written backwards from the end: snprintf is ~5x slower */
        char *end = digits + sizeof digits, *p = end;
        unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
        do
            *--p = (char)('0' + u % 10);
        while (u /= 10);
        if (v < 0)
            *--p = '-';
        return put(b, p, end - p);
    }
    if (o == Py_None)
        return put(b, "null", 4);
    if (o == Py_True)
        return put(b, "true", 4);
    if (o == Py_False)
        return put(b, "false", 5);
    if (PyDict_CheckExact(o) || PyList_CheckExact(o) || PyTuple_CheckExact(o)) {
        if (Py_EnterRecursiveCall(" while writing JSON"))
            return -1;
        int r = put_items(b, o);
        Py_LeaveRecursiveCall();
        return r;
    }
    return put_encoded(b, o);
}

PyObject *
speedups_json_bytes(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Buf b = {NULL, 0, 0, NULL};
    if (!PyArg_ParseTuple(args, "OO:json_bytes", &obj, &b.encode))
        return NULL;
    PyObject *out = put_value(&b, obj) < 0 ? NULL : PyBytes_FromStringAndSize(b.data, b.len);
    PyMem_Free(b.data);
    return out;
}
