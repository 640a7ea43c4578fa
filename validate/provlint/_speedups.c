/* Compiled versions of provlint's hottest per-line helpers.
 *
 * Optional: provlint/native.py imports this module when it is built and not
 * stale, and every function here has a pure-Python twin that is the
 * specification (lines.py, checks/patterns.py, checks/prose.py).
 * tests/test_native.py runs both on the same inputs and asserts equal
 * results, so a change to either side must be made to both.
 *
 * Character classes follow Python's own definitions, which is what the pure
 * code uses: str.split()/str.isspace() and re's \s are Py_UNICODE_ISSPACE,
 * re's \d and str.isdecimal() are Py_UNICODE_ISDECIMAL, re's [^\W_] and
 * str.isalnum() are Py_UNICODE_ISALNUM.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* lines.WS_CHARS, in the same order (native.py checks they are equal). */
static const Py_UCS4 WS_LIST[] = {
    0x09, 0x0b, 0x0c, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
    0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000,
    0x200b, 0x200c, 0x200d, 0x2060, 0xfeff,
};

static inline int
is_ws(Py_UCS4 c)
{
    if (c < 0x80)
        return c == 0x20 || c == 0x09 || c == 0x0b || c == 0x0c;
    if (c >= 0x2000 && c <= 0x200d)
        return 1;
    return c == 0xa0 || c == 0x1680 || c == 0x202f || c == 0x205f || c == 0x3000
           || c == 0x2060 || c == 0xfeff;
}

static inline int
in_set(Py_UCS4 c, const Py_UCS4 *set, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        if (set[i] == c)
            return 1;
    return 0;
}

#define COUNT(a) ((Py_ssize_t)(sizeof(a) / sizeof((a)[0])))
#define ISSPACE(c) Py_UNICODE_ISSPACE(c)

/* A read-only view of a str: kind, data, length. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} View;

static inline View
view_of(PyObject *s)
{
    View v = {PyUnicode_KIND(s), PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s)};
    return v;
}

#define AT(v, i) PyUnicode_READ((v).kind, (v).data, (i))

static int
need_str(PyObject *o, const char *func)
{
    if (PyUnicode_Check(o))
        return 1;
    PyErr_Format(PyExc_TypeError, "%s() needs a str, not %.100s", func, Py_TYPE(o)->tp_name);
    return 0;
}

/* ---- split --------------------------------------------------------------- */

/* lines._split: (index, start, end, stop, text, blank) per line, built as
 * instances of the tuple subclass ``line_type`` (lines.Line). */
static PyObject *
split_lines(PyObject *self, PyObject *args)
{
    PyObject *text;
    PyTypeObject *line_type;
    if (!PyArg_ParseTuple(args, "UO!:split_lines", &text, &PyType_Type, &line_type))
        return NULL;
    if (!PyType_IsSubtype(line_type, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "line_type must be a tuple subclass");
        return NULL;
    }
    View v = view_of(text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t pos = 0, index = 0;
    while (pos < v.n) {
        Py_ssize_t start = pos;
        int blank = 1;
        Py_UCS4 c = 0;
        if (v.kind == PyUnicode_1BYTE_KIND) {
            const Py_UCS1 *d = (const Py_UCS1 *)v.data;
            while (pos < v.n && (c = d[pos]) != '\n' && c != '\r') {
                if (blank && !is_ws(c))
                    blank = 0;
                pos++;
            }
        }
        else {
            while (pos < v.n && (c = AT(v, pos)) != '\n' && c != '\r') {
                if (blank && !is_ws(c))
                    blank = 0;
                pos++;
            }
        }
        Py_ssize_t end = pos;
        if (pos < v.n)
            pos += (c == '\r' && pos + 1 < v.n && AT(v, pos + 1) == '\n') ? 2 : 1;
        PyObject *ln = line_type->tp_alloc(line_type, 6);
        if (ln == NULL)
            goto fail;
        PyObject *items[6] = {
            PyLong_FromSsize_t(index), PyLong_FromSsize_t(start), PyLong_FromSsize_t(end),
            PyLong_FromSsize_t(pos), PyUnicode_Substring(text, start, end),
            PyBool_FromLong(blank),
        };
        int bad = 0;
        for (int k = 0; k < 6; k++) {
            if (items[k] == NULL)
                bad = 1;
            PyTuple_SET_ITEM(ln, k, items[k]);  /* the tuple owns it, NULL or not */
        }
        if (bad || PyList_Append(out, ln) < 0) {
            Py_DECREF(ln);
            goto fail;
        }
        Py_DECREF(ln);
        index++;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ---- normalise ----------------------------------------------------------- */

static PyObject *nfkc_func = NULL;  /* unicodedata.normalize, imported on first use */

static inline Py_UCS4
quote_of(Py_UCS4 c)
{
    switch (c) {
    case 0x2018: case 0x2019: return '\'';
    case 0x201c: case 0x201d: return '"';
    case 0x2013: case 0x2014: return '-';
    case 0xa0: return ' ';
    default: return c;
    }
}

/* The words of ``v`` (split on white space) joined by single spaces, each
 * character mapped through quote_of (``quotes``) or lower-cased (ASCII),
 * then WS_CHARS stripped from both ends. */
static PyObject *
collapse(View v, int quotes)
{
    Py_UCS4 *buf = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(v.n ? v.n : 1));
    if (buf == NULL)
        return PyErr_NoMemory();
    Py_ssize_t len = 0;
    int gap = 0;
    for (Py_ssize_t i = 0; i < v.n; i++) {
        Py_UCS4 c = AT(v, i);
        if (quotes)
            c = quote_of(c);
        else if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (ISSPACE(c)) {
            gap = len > 0;
            continue;
        }
        if (gap) {
            buf[len++] = ' ';
            gap = 0;
        }
        buf[len++] = c;
    }
    Py_ssize_t lo = 0, hi = len;
    while (lo < hi && is_ws(buf[lo]))
        lo++;
    while (hi > lo && is_ws(buf[hi - 1]))
        hi--;
    PyObject *res = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf + lo, hi - lo);
    PyMem_Free(buf);
    return res;
}

/* lines.normalise (without its cache). */
static PyObject *
normalise(PyObject *self, PyObject *line)
{
    if (!need_str(line, "normalise"))
        return NULL;
    if (PyUnicode_IS_ASCII(line))
        return collapse(view_of(line), 0);
    if (nfkc_func == NULL) {
        PyObject *mod = PyImport_ImportModule("unicodedata");
        if (mod == NULL)
            return NULL;
        nfkc_func = PyObject_GetAttrString(mod, "normalize");
        Py_DECREF(mod);
        if (nfkc_func == NULL)
            return NULL;
    }
    PyObject *s = PyObject_CallFunction(nfkc_func, "sO", "NFKC", line);
    if (s == NULL)
        return NULL;
    /* Case folding maps one character at a time and neither makes nor
     * changes the quote characters or their replacements, so folding
     * first and unifying quotes in the same pass as the white space gives
     * what the pure code (quotes first, then casefold) gives. */
    PyObject *folded = PyObject_CallMethod(s, "casefold", NULL);
    Py_DECREF(s);
    if (folded == NULL)
        return NULL;
    PyObject *res = collapse(view_of(folded), 1);
    Py_DECREF(folded);
    return res;
}

/* ---- phrase keys --------------------------------------------------------- */

static const Py_UCS4 TAIL[] = {':', '.', ',', ';', '!', '?', 0x2026, 0xb7, '|', '/',
                               '(', ')', '[', ']', '-'};
static const Py_UCS4 HEAD[] = {'#', '>', '*', '_', '+', 0x2022, 0xb7, 0x25aa, 0xbb,
                               0x203a, '|', '[', '(', '-'};
static const Py_UCS4 KEY_RSTRIP[] = {'*', '_', ']', ')', ' '};

/* checks.patterns.phrase_key after the link removal: the tail (white space,
 * digits, TAIL) dropped, then the head decoration (_HEAD_RE), then
 * rstrip("*_]) "). */
static PyObject *
trim_key(PyObject *self, PyObject *key)
{
    if (!need_str(key, "trim_key"))
        return NULL;
    View v = view_of(key);
    Py_ssize_t end = v.n, head = 0;
    while (end > 0) {
        Py_UCS4 c = AT(v, end - 1);
        if (!(in_set(c, TAIL, COUNT(TAIL)) || ISSPACE(c) || Py_UNICODE_ISDECIMAL(c)))
            break;
        end--;
    }
    while (head < end) {
        Py_UCS4 c = AT(v, head);
        if (!(ISSPACE(c) || in_set(c, HEAD, COUNT(HEAD))))
            break;
        head++;
    }
    while (end > head && in_set(AT(v, end - 1), KEY_RSTRIP, COUNT(KEY_RSTRIP)))
        end--;
    return PyUnicode_Substring(key, head, end);
}

/* ---- line shapes --------------------------------------------------------- */

static const Py_UCS4 BULLETS[] = {'*', '+', '-', 0x2022, 0xb7, 0x25aa, 0x25e6, 0x2023};
static const Py_UCS4 TERMINAL[] = {'.', '!', '?', 0x2026, ':', ';', '"', '\'', 0x201d, 0x2019,
                                   0xbb, ')', ']', 0x3002, 0xff01, 0xff1f, 0xff61, 0xff0e,
                                   0x300d, 0x300f, 0xff09};
static const Py_UCS4 TRAIL_DECOR[] = {'*', '_', ' ', '\t', 0xa0};
static const Py_UCS4 WORD_JOIN[] = {'\'', 0x2019, '.', '-'};

static inline Py_ssize_t
skip_space(View v, Py_ssize_t i)
{
    while (i < v.n && ISSPACE(AT(v, i)))
        i++;
    return i;
}

/* Length of the run of decimal digits at i. */
static inline Py_ssize_t
digit_run(View v, Py_ssize_t i)
{
    Py_ssize_t j = i;
    while (j < v.n && Py_UNICODE_ISDECIMAL(AT(v, j)))
        j++;
    return j - i;
}

/* A list marker at p, "[*+\-•·▪◦‣]\s+" or "\d{1,3}[.)]\s+": the index after it
 * and its spaces, or -1; *numbered says which. */
static Py_ssize_t
list_marker(View v, Py_ssize_t p, int *numbered)
{
    *numbered = 0;
    if (in_set(AT(v, p), BULLETS, COUNT(BULLETS)) && p + 1 < v.n && ISSPACE(AT(v, p + 1)))
        return skip_space(v, p + 1);
    Py_ssize_t k = digit_run(v, p);  /* \d{1,3} backs off into a digit: the run must fit */
    if (k < 1 || k > 3 || p + k + 1 >= v.n)
        return -1;
    Py_UCS4 d = AT(v, p + k);
    if (!((d == '.' || d == ')') && ISSPACE(AT(v, p + k + 1))))
        return -1;
    *numbered = 1;
    return skip_space(v, p + k + 1);
}

/* prose._DECOR_RE.match(text).end(), or 0 when it does not match:
 * ^\s*(?:#{1,6}\s+|>\s*|[*+\-•·▪◦‣]\s+|\d{1,3}[.)]\s+|[*_]{1,3}(?=\S)) */
static Py_ssize_t
decor_end(View v)
{
    Py_ssize_t p = skip_space(v, 0);
    if (p >= v.n)
        return 0;
    Py_UCS4 c = AT(v, p);
    Py_ssize_t k = 0;
    if (c == '#') {
        while (p + k < v.n && AT(v, p + k) == '#')
            k++;
        if (k <= 6 && p + k < v.n && ISSPACE(AT(v, p + k)))
            return skip_space(v, p + k);
    }
    if (c == '>')
        return skip_space(v, p + 1);
    int numbered;
    Py_ssize_t end = list_marker(v, p, &numbered);
    if (end >= 0)
        return end;
    k = 0;
    while (k < 3 && p + k < v.n && (AT(v, p + k) == '*' || AT(v, p + k) == '_'))
        k++;
    for (; k >= 1; k--)  /* greedy, then backs off: (?=\S) after the run */
        if (p + k < v.n && !ISSPACE(AT(v, p + k)))
            return p + k;
    return 0;
}

/* bool(prose._LIST_RE.match(text)): ^\s*(?:[*+\-•·▪◦‣]\s+|\d{1,3}[.)]\s+\S) */
static int
is_list(View v)
{
    Py_ssize_t p = skip_space(v, 0);
    if (p >= v.n)
        return 0;
    int numbered;
    Py_ssize_t end = list_marker(v, p, &numbered);
    return end >= 0 && (!numbered || end < v.n);
}

static inline int
is_cjk(Py_UCS4 c)
{
    return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf)
           || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af)
           || (c >= 0xf900 && c <= 0xfaff);
}

static inline int
is_ascii_alnum(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* _SIMPLE_RE.fullmatch over [lo, hi): [A-Za-z0-9]+(?:[ ,;]+[A-Za-z0-9]+)*[.!?:;,]? */
static int
simple_fullmatch(View v, Py_ssize_t lo, Py_ssize_t hi)
{
    Py_ssize_t i = lo;
    if (i >= hi || !is_ascii_alnum(AT(v, i)))
        return 0;
    for (;;) {
        while (i < hi && is_ascii_alnum(AT(v, i)))
            i++;
        Py_ssize_t j = i;
        while (j < hi && (AT(v, j) == ' ' || AT(v, j) == ',' || AT(v, j) == ';'))
            j++;
        if (j == i || j >= hi || !is_ascii_alnum(AT(v, j)))
            break;
        i = j;
    }
    if (i == hi)
        return 1;
    Py_UCS4 c = AT(v, i);
    return i + 1 == hi && (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == ',');
}

/* len(_WORD_RE.findall(...)) over [lo, hi), CJK characters counting as
 * breaks when ``cjk_breaks``: [^\W_]+(?:['’.-][^\W_]+)* */
static Py_ssize_t
word_matches(View v, Py_ssize_t lo, Py_ssize_t hi, int cjk_breaks)
{
#define ALNUM(c) (Py_UNICODE_ISALNUM(c) && !(cjk_breaks && is_cjk(c)))
    Py_ssize_t count = 0, i = lo;
    while (i < hi) {
        if (!ALNUM(AT(v, i))) {
            i++;
            continue;
        }
        count++;
        for (;;) {
            while (i < hi && ALNUM(AT(v, i)))
                i++;
            if (i + 1 < hi && in_set(AT(v, i), WORD_JOIN, COUNT(WORD_JOIN))
                && ALNUM(AT(v, i + 1)))
                i++;
            else
                break;
        }
    }
    return count;
#undef ALNUM
}

/* prose.words_of(text[lo:hi]) */
static Py_ssize_t
words_in(View v, Py_ssize_t lo, Py_ssize_t hi)
{
    Py_UCS4 top = 0;
    Py_ssize_t cjk = 0;
    for (Py_ssize_t i = lo; i < hi; i++) {
        Py_UCS4 c = AT(v, i);
        if (c > top)
            top = c;
        cjk += is_cjk(c);
    }
    if (top < 0x80) {
        if (!simple_fullmatch(v, lo, hi))
            return word_matches(v, lo, hi, 0);
        Py_ssize_t words = 0;  /* len(text.split()) */
        for (Py_ssize_t i = lo; i < hi; i++)
            if (!ISSPACE(AT(v, i)) && (i == lo || ISSPACE(AT(v, i - 1))))
                words++;
        return words;
    }
    if (cjk)
        return word_matches(v, lo, hi, 1) + (cjk + 1) / 2;
    return word_matches(v, lo, hi, 0);
}

/* prose.shape's fields: (words, terminal, listy, table). */
static PyObject *
shape_parts(PyObject *self, PyObject *text)
{
    if (!need_str(text, "shape_parts"))
        return NULL;
    View v = view_of(text);
    Py_ssize_t lo = decor_end(v), hi = v.n;
    while (hi > lo && in_set(AT(v, hi - 1), TRAIL_DECOR, COUNT(TRAIL_DECOR)))
        hi--;
    int terminal = hi > lo && in_set(AT(v, hi - 1), TERMINAL, COUNT(TERMINAL));
    Py_ssize_t bars = 0, first = -1, last = -1, tab = 0;
    for (Py_ssize_t i = 0; i < v.n; i++) {
        Py_UCS4 c = AT(v, i);
        bars += c == '|';
        if (!ISSPACE(c)) {
            if (first < 0)
                first = i;
            last = i;
        }
    }
    for (Py_ssize_t i = first + 1; first >= 0 && i < last; i++)
        if (AT(v, i) == '\t') {
            tab = 1;
            break;
        }
    return Py_BuildValue("(nNNN)", words_in(v, lo, hi), PyBool_FromLong(terminal),
                         PyBool_FromLong(is_list(v)), PyBool_FromLong(bars >= 2 || tab));
}

/* ---- module -------------------------------------------------------------- */

static PyMethodDef methods[] = {
    {"split_lines", split_lines, METH_VARARGS,
     "split_lines(text, line_type) -> list: lines._split in C."},
    {"normalise", normalise, METH_O, "normalise(line) -> str: lines.normalise in C."},
    {"trim_key", trim_key, METH_O,
     "trim_key(key) -> str: the end of checks.patterns.phrase_key in C."},
    {"shape_parts", shape_parts, METH_O,
     "shape_parts(text) -> (words, terminal, listy, table): checks.prose.shape in C."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_speedups",
    "Compiled twins of provlint's per-line helpers (see provlint.native).", -1, methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    PyObject *ws = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, WS_LIST, COUNT(WS_LIST));
    if (ws == NULL || PyModule_AddObject(m, "WS_CHARS", ws) < 0) {
        Py_XDECREF(ws);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
