/* The first tests of checks.prose.credit_like for provlint._speedups. */
#include "_speedups.h"

/* prose._PLAIN_MARKS: characters outside ASCII that str.lower() leaves alone. */
static const Py_UCS4 PLAIN_MARKS[] = {0xa0, 0xa9, 0x2018, 0x2019, 0x201c, 0x201d, 0x2013,
                                      0x2014, 0x2026};
/* Stands for a mark above U+00FF in the lowered bytes; needles never hold it. */
#define OTHER_MARK 0x01

/* Whether ``needle`` (m bytes) occurs in ``hay`` (n bytes). */
static int
has_bytes(const unsigned char *hay, Py_ssize_t n, const unsigned char *needle, Py_ssize_t m)
{
    if (m == 0)
        return 1;
    if (m > n)
        return 0;
    for (const unsigned char *p = hay, *end = hay + n - m + 1; p < end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (p == NULL)
            return 0;
        if (memcmp(p + 1, needle + 1, (size_t)(m - 1)) == 0)
            return 1;
    }
    return 0;
}

/* prose._agency_tail over the lowered bytes ``low`` of the text ``v``: the line's last
 * word (after stripping " )]." and white space, then "(" and "/" before it) is one
 * of ``agencies``, and the line has a "/" or "(" or at most two words. 1, 0 or -1. */
static int
agency_tail(View v, const unsigned char *low, PyObject *agencies)
{
    Py_ssize_t end = v.n, start;
    while (end > 0 && (low[end - 1] == ' ' || low[end - 1] == ')' || low[end - 1] == ']'
                       || low[end - 1] == '.'))
        end--;
    while (end > 0 && ISSPACE(AT(v, end - 1)))
        end--;
    for (start = end; start > 0 && !ISSPACE(AT(v, start - 1)); start--)
        ;
    while (start < end && (low[start] == '(' || low[start] == '/'))
        start++;
    if (end == 0)
        return 0;
    Py_UCS4 top = 0;  /* the lowered word, marks kept, built with its narrowest kind */
    for (Py_ssize_t i = start; i < end; i++)
        top = AT(v, i) > top ? AT(v, i) : top;
    PyObject *word = PyUnicode_New(end - start, top);
    if (word == NULL)
        return -1;
    for (Py_ssize_t i = start; i < end; i++)
        PyUnicode_WRITE(PyUnicode_KIND(word), PyUnicode_DATA(word), i - start,
                        AT(v, i) < 0x80 ? low[i] : AT(v, i));
    int found = PySequence_Contains(agencies, word);
    Py_DECREF(word);
    if (found <= 0)
        return found;
    if (memchr(low, '/', (size_t)v.n) || memchr(low, '(', (size_t)v.n))
        return 1;
    Py_ssize_t words = 0;
    for (Py_ssize_t i = 0; i < v.n; i++)
        words += !ISSPACE(AT(v, i)) && (i == 0 || ISSPACE(AT(v, i - 1)));
    return words <= 2;
}

/* Whether ``low`` (n bytes) holds one of ``words`` (a tuple of Latin-1 strs without
 * OTHER_MARK): 1, 0, or -1 with an error set (a word that is not such a str). */
static int
has_any(const unsigned char *low, Py_ssize_t n, PyObject *words)
{
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(words); k++) {
        PyObject *w = PyTuple_GET_ITEM(words, k);
        if (!need_str(w, "credit_quick"))
            return -1;
        View h = view_of(w);
        if (h.kind != PyUnicode_1BYTE_KIND || memchr(h.data, OTHER_MARK, (size_t)h.n)) {
            PyErr_SetString(PyExc_ValueError, "credit_quick: a word is not Latin-1");
            return -1;
        }
        if (has_bytes(low, n, h.data, h.n))
            return 1;
    }
    return 0;
}

/* prose._credit_quick_py: True (an agency ends the line), False (no hint word, or no
 * word of ``deciding``), or None (a hint word and a word of ``deciding`` are there, or
 * a character outside ASCII and the marks). */
PyObject *
speedups_credit_quick(PyObject *self, PyObject *args)
{
    PyObject *text, *hints, *agencies, *deciding, *result = NULL;
    if (!PyArg_ParseTuple(args, "UO!OO!:credit_quick", &text, &PyTuple_Type, &hints, &agencies,
                          &PyTuple_Type, &deciding))
        return NULL;
    View v = view_of(text);
    unsigned char small[256], *low = v.n <= 256 ? small : PyMem_Malloc((size_t)v.n + 1);
    if (low == NULL)
        return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < v.n; i++) {
        Py_UCS4 c = AT(v, i);
        if (c >= 0x80 && !in_set(c, PLAIN_MARKS, COUNT(PLAIN_MARKS)))
            goto undecided;
        low[i] = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32)
                 : c < 0x100 ? (unsigned char)c : OTHER_MARK;
    }
    int tail = agency_tail(v, low, agencies);
    if (tail != 0) {
        result = tail < 0 ? NULL : Py_NewRef(Py_True);
        goto done;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(hints); k++) {
        PyObject *hint = PyTuple_GET_ITEM(hints, k);
        if (!need_str(hint, "credit_quick"))
            goto done;
        View h = view_of(hint);
        if (h.kind != PyUnicode_1BYTE_KIND || memchr(h.data, OTHER_MARK, (size_t)h.n))
            goto undecided;  /* not a Latin-1 word (test_native checks the hints are) */
        if (has_bytes(low, v.n, h.data, h.n)) {
            /* a hint: the regexes can say yes only to a line holding a deciding word */
            int found = has_any(low, v.n, deciding);
            if (found < 0)
                goto done;
            if (found)
                goto undecided;
            break;
        }
    }
    result = Py_NewRef(Py_False);
    goto done;
undecided:
    result = Py_NewRef(Py_None);
done:
    if (low != small)
        PyMem_Free(low);
    return result;
}
