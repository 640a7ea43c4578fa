/* split_lines's reuse of the previous split (lines._split in C, _speedups.c).
 *
 * A fix pass changes a few lines of a text; the next pass splits it again. Each line
 * whose text the previous split also had takes that split's str object instead of a new
 * one: no allocation, and the str keeps its cached hash, so the per-line caches
 * (lines.cached_line_test) find it by identity without hashing or comparing it. A line
 * that is also at the same place (same index and offsets) takes the whole old Line, and
 * so does an empty line whose old line at the same index is that same empty line.
 * Only equal values are reused, so the result equals a fresh split whatever the
 * previous split was (lines._split_py, which ignores it, is the pure twin).
 *
 * Finding a line's old twin: the old lines after the last one matched (a few, as edits
 * delete or change lines), else the old line at the same distance from the text's end
 * (the lines after an edit keep theirs). When GIVE_UP non-empty lines in a row have
 * none and no line had one yet, the previous split is taken to be another document's
 * and no longer searched.
 */
#include "_speedups.h"

#define AHEAD 8     /* old lines looked at after the last match */
#define GIVE_UP 16  /* non-empty lines without a twin, and none with one, before giving up */

/* True when ``old`` (a str) holds the characters v[start:start+len(old)]. */
static int
same_chars(PyObject *old, View v, Py_ssize_t start)
{
    int kind = PyUnicode_KIND(old);
    const void *d = PyUnicode_DATA(old);
    Py_ssize_t n = PyUnicode_GET_LENGTH(old);
    if (kind == v.kind)
        return memcmp(d, (const char *)v.data + start * v.kind, (size_t)(n * kind)) == 0;
    /* a line's str is never wider than its text: it is narrower (an ASCII line of a
     * text with a curly quote elsewhere) */
#define SAME(TO, TT)                                                                  \
    {                                                                                  \
        const TO *a = (const TO *)d;                                                   \
        const TT *b = (const TT *)v.data + start;                                      \
        for (Py_ssize_t k = 0; k < n; k++)                                             \
            if (a[k] != b[k])                                                          \
                return 0;                                                              \
        return 1;                                                                      \
    }
    if (kind == PyUnicode_1BYTE_KIND && v.kind == PyUnicode_2BYTE_KIND)
        SAME(Py_UCS1, Py_UCS2)
    if (kind == PyUnicode_1BYTE_KIND && v.kind == PyUnicode_4BYTE_KIND)
        SAME(Py_UCS1, Py_UCS4)
    if (kind == PyUnicode_2BYTE_KIND && v.kind == PyUnicode_4BYTE_KIND)
        SAME(Py_UCS2, Py_UCS4)
#undef SAME
    return 0;
}

/* Item k (an int) of the old line ln, or -1. */
static inline Py_ssize_t
field(PyObject *ln, Py_ssize_t k)
{
    PyObject *o = PyTuple_GET_ITEM(ln, k);
    Py_ssize_t value = PyLong_CheckExact(o) ? PyLong_AsSsize_t(o) : -1;
    if (value == -1)
        PyErr_Clear();  /* too large for an offset: not an offset of this text */
    return value;
}

/* True when the old line ln's text is v[start:end]. */
static inline int
same_text(PyObject *ln, View v, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *t = PyTuple_GET_ITEM(ln, 4);
    return PyUnicode_GET_LENGTH(t) == end - start && same_chars(t, v, start);
}

/* The old line whose text is v[start:end]: its place in r->old, or -1. */
static Py_ssize_t
twin(Resplit *r, View v, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t stop = r->next + AHEAD < r->n ? r->next + AHEAD : r->n;
    for (Py_ssize_t k = r->next; k < stop; k++)
        if (same_text(r->old[k], v, start, end))
            return k;
    /* a second line in a row without a twin nearby: more lines were deleted or added
     * than AHEAD; the old line starting as far from the old text's end as this one
     * from the new is the twin when the edits are all before it */
    Py_ssize_t want = start + r->old_len - v.n, lo = 0, hi = r->n;
    if (r->missed == 0 || want < 0)
        return -1;
    while (lo < hi) {  /* the first old line starting at or after ``want`` */
        Py_ssize_t mid = (lo + hi) / 2;
        if (field(r->old[mid], 1) < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->n && lo >= stop && field(r->old[lo], 1) == want &&
            same_text(r->old[lo], v, start, end))
        return lo;
    return -1;
}

int
resplit_start(Resplit *r, PyObject *prev)
{
    r->old = NULL;
    r->n = r->next = r->missed = r->found = r->old_len = 0;
    if (prev == NULL || prev == Py_None)
        return 0;
    if (!PyList_CheckExact(prev)) {
        PyErr_SetString(PyExc_TypeError, "split_lines: prev must be a list of lines");
        return -1;
    }
    Py_ssize_t n = PyList_GET_SIZE(prev);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *ln = PyList_GET_ITEM(prev, k);
        if (!PyTuple_Check(ln) || PyTuple_GET_SIZE(ln) < 6 ||
                !PyUnicode_Check(PyTuple_GET_ITEM(ln, 4))) {
            PyErr_SetString(PyExc_TypeError, "split_lines: prev must be a list of lines");
            return -1;
        }
    }
    r->old = ((PyListObject *)prev)->ob_item;
    r->old_len = n ? field(r->old[n - 1], 3) : 0;
    r->n = n;
    return 0;
}

PyObject *
resplit_line(Resplit *r, View v, Py_ssize_t index, Py_ssize_t start, Py_ssize_t end,
             Py_ssize_t stop, PyObject **text)
{
    *text = NULL;
    if (end == start) {  /* an empty line (its str is shared anyway): the old line at the
                          * same place when that is an empty line too (before the first
                          * edit, most are) */
        PyObject *ln = index < r->n ? r->old[index] : NULL;
        if (ln != NULL && PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(ln, 4)) == 0 &&
                field(ln, 0) == index && field(ln, 1) == start && field(ln, 3) == stop)
            return Py_NewRef(ln);
        return NULL;
    }
    if (r->n == 0 || (r->found == 0 && r->missed >= GIVE_UP))
        return NULL;  /* no previous lines, or the lines of another document */
    Py_ssize_t k = twin(r, v, start, end);
    if (k < 0) {
        r->missed++;
        return NULL;
    }
    r->missed = 0;
    r->found++;
    r->next = k + 1;
    PyObject *ln = r->old[k];
    if (field(ln, 0) == index && field(ln, 1) == start && field(ln, 3) == stop)
        return Py_NewRef(ln);  /* same text, same place: the same line */
    *text = Py_NewRef(PyTuple_GET_ITEM(ln, 4));
    return NULL;
}

/* ---- shared int objects for offsets ------------------------------------------------ */

/* The ints 0 .. KEPT_INTS - 1, made when first asked for and kept: a split makes three
 * per line (its index and offsets), and most documents are shorter than this, so
 * most lines then take them from here instead of allocating (and later freeing)
 * them. An int's identity means nothing in Python: the values are what a fresh
 * int would be. int_of (_speedups.h) takes a kept one inline; int_make makes it. */
PyObject *kept_ints[KEPT_INTS];

PyObject *
int_make(Py_ssize_t i)
{
    if (i < 0 || i >= KEPT_INTS)
        return PyLong_FromSsize_t(i);
    if (kept_ints[i] == NULL && (kept_ints[i] = PyLong_FromSsize_t(i)) == NULL)
        return NULL;
    return Py_NewRef(kept_ints[i]);
}
