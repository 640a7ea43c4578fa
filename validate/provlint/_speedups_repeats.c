/* Scans of the repeated-line, -block and -paragraph rules for provlint._speedups.
 *
 * Each function's pure-Python twin is named in its comment and is the
 * specification; tests/test_native.py compares the two.
 */
#include "_speedups.h"

/* ---- PL302: duplication._blocks_py ---------------------------------------- */

#define EMPTY(s) (PyUnicode_GET_LENGTH(s) == 0)

/* keys[a] == keys[b] (str values); -1 on error. Two exact str of different lengths
 * differ: most neighbouring keys are told apart without a call. */
static inline int
same(PyObject *a, PyObject *b)
{
    if (a == b)
        return 1;
    if (PyUnicode_CheckExact(a) && PyUnicode_CheckExact(b)
            && PyUnicode_GET_LENGTH(a) != PyUnicode_GET_LENGTH(b))
        return 0;
    return PyObject_RichCompareBool(a, b, Py_EQ);
}

/* duplication._block_at */
static Py_ssize_t
block_at(PyObject **keys, Py_ssize_t n, Py_ssize_t i, Py_ssize_t j)
{
    Py_ssize_t k = 0;
    while (i + k < n && j + k < i) {
        int eq = same(keys[j + k], keys[i + k]);
        if (eq < 0)
            return -1;
        if (!eq)
            break;
        k++;
    }
    while (k && EMPTY(keys[i + k - 1]))
        k--;
    return k;
}

/* The best block starting at line i given its earlier copies ``earlier`` (a list, the
 * last eight are used): sets *best and *origin; -1 on error. */
static int
best_copy(PyObject **keys, Py_ssize_t n, Py_ssize_t i, PyObject *earlier,
          Py_ssize_t *best, Py_ssize_t *origin)
{
    Py_ssize_t m = PyList_GET_SIZE(earlier), from = m > 8 ? m - 8 : 0;
    *best = 1;
    *origin = PyLong_AsSsize_t(PyList_GET_ITEM(earlier, from));
    if (*origin == -1 && PyErr_Occurred())
        return -1;
    Py_ssize_t gap = 1;
    while (i + gap < n && EMPTY(keys[i + gap]))
        gap++;
    if (i + gap >= n)
        return 0;
    PyObject *next_key = keys[i + gap];
    for (Py_ssize_t e = from; e < m; e++) {
        Py_ssize_t j = PyLong_AsSsize_t(PyList_GET_ITEM(earlier, e));
        if (j == -1 && PyErr_Occurred())
            return -1;
        if (j + gap >= i)
            continue;
        int eq = same(keys[j + gap], next_key);
        if (eq < 0)
            return -1;
        if (!eq)
            continue;
        int blanks = 1;
        for (Py_ssize_t g = 1; g < gap && blanks; g++)
            blanks = EMPTY(keys[j + g]);
        if (!blanks)
            continue;
        Py_ssize_t size = block_at(keys, n, i, j);
        if (size < 0)
            return -1;
        if (size > *best) {
            *best = size;
            *origin = j;
        }
    }
    return 0;
}

/* flags[i] = 1 when keys[i] has text and occurs more than once in keys (a key of
 * duplication._repeated_py), from one pass over the keys with a table of the first
 * line of each key (open addressing on the strings' cached hashes); -1 on error. */
static int
mark_repeated(PyObject **keys, Py_ssize_t n, char *flags)
{
    size_t size = 8, texts = 0;  /* the table: at least twice the keys with text */
    for (Py_ssize_t i = 0; i < n; i++)
        texts += !EMPTY(keys[i]);
    while (size < 2 * texts)
        size <<= 1;
    Py_ssize_t *first = PyMem_Calloc(size, sizeof(Py_ssize_t));  /* line + 1; 0: free */
    Py_hash_t *hashes = PyMem_Malloc(size * sizeof(Py_hash_t));
    int rc = 0;
    if (first == NULL || hashes == NULL) {
        PyErr_NoMemory();
        rc = -1;
    }
    for (Py_ssize_t i = 0; i < n && rc == 0; i++) {
        flags[i] = 0;
        if (EMPTY(keys[i]))
            continue;
        Py_hash_t h = PyObject_Hash(keys[i]);
        if (h == -1) {
            rc = -1;
            break;
        }
        for (size_t p = (size_t)h & (size - 1);; p = (p + 1) & (size - 1)) {
            Py_ssize_t at = first[p];
            if (at == 0) {
                first[p] = i + 1;
                hashes[p] = h;
                break;
            }
            if (hashes[p] != h)
                continue;
            int eq = same(keys[at - 1], keys[i]);
            if (eq < 0)
                rc = -1;
            if (eq != 0) {
                flags[i] = flags[at - 1] = 1;
                break;
            }
        }
    }
    PyMem_Free(first);
    PyMem_Free(hashes);
    return rc;
}

/* duplication._blocks_py(keys, repeated, min_lines, min_chars) -> [(first, last, origin)];
 * repeated None: the keys of duplication._repeated_py(keys), found here (no set made). */
PyObject *
speedups_repeated_blocks(PyObject *self, PyObject *args)
{
    PyObject *tuple, *repeated;
    Py_ssize_t min_lines, min_chars;
    if (!PyArg_ParseTuple(args, "O!Onn:repeated_blocks", &PyTuple_Type, &tuple, &repeated,
                          &min_lines, &min_chars))
        return NULL;
    if (repeated != Py_None && !PyAnySet_Check(repeated)) {
        PyErr_SetString(PyExc_TypeError, "repeated_blocks: repeated must be a set or None");
        return NULL;
    }
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    PyObject **keys = &PyTuple_GET_ITEM(tuple, 0);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!need_str(keys[i], "repeated_blocks"))
            return NULL;
    PyObject *out = PyList_New(0), *seen = PyDict_New();
    char *flags = NULL;
    if (out == NULL || seen == NULL)
        goto fail;
    if (repeated == Py_None) {
        flags = PyMem_Malloc(n > 0 ? (size_t)n : 1);
        if (flags == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        if (mark_repeated(keys, n, flags) < 0)
            goto fail;
    }
    Py_ssize_t after = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = keys[i];
        int rep = flags != NULL ? flags[i] : PySet_Contains(repeated, key);
        if (rep < 0)
            goto fail;
        if (!rep || i < after)
            continue;
        Py_ssize_t best = 0, origin = 0;
        PyObject *earlier = PyDict_GetItemWithError(seen, key);  /* borrowed */
        if (earlier == NULL && PyErr_Occurred())
            goto fail;
        if (earlier != NULL && best_copy(keys, n, i, earlier, &best, &origin) < 0)
            goto fail;
        Py_ssize_t texts = 0, chars = 0;  /* of the lines with text; none when too short */
        for (Py_ssize_t k = i; best >= min_lines && k < i + best; k++) {
            Py_ssize_t len = PyUnicode_GET_LENGTH(keys[k]);
            texts += len > 0;
            chars += len;
        }
        if (texts >= min_lines && chars >= min_chars) {
            PyObject *hit = Py_BuildValue("(nnn)", i, i + best - 1, origin);
            if (hit == NULL || PyList_Append(out, hit) < 0) {
                Py_XDECREF(hit);
                goto fail;
            }
            Py_DECREF(hit);
            after = i + best;
            continue;
        }
        PyObject *at = PyLong_FromSsize_t(i);
        if (at == NULL)
            goto fail;
        int rc;
        if (earlier != NULL) {
            rc = PyList_Append(earlier, at);
        }
        else {
            PyObject *fresh = PyList_New(1);
            rc = fresh == NULL ? -1 : 0;
            if (fresh != NULL) {
                PyList_SET_ITEM(fresh, 0, Py_NewRef(at));
                rc = PyDict_SetItem(seen, key, fresh);
                Py_DECREF(fresh);
            }
        }
        Py_DECREF(at);
        if (rc < 0)
            goto fail;
    }
    Py_DECREF(seen);
    PyMem_Free(flags);
    return out;
fail:
    Py_XDECREF(out);
    Py_XDECREF(seen);
    PyMem_Free(flags);
    return NULL;
}

/* ---- PL301: duplication._adjacent_py ------------------------------------- */

/* duplication._adjacent_py(lines, keys, min_chars) -> [int]: the lines of text whose key
 * (at least min_chars long) equals the key of the line of text before them. */
PyObject *
speedups_adjacent_repeats(PyObject *self, PyObject *args)
{
    PyObject *lines, *tuple;
    Py_ssize_t min_chars;
    if (!PyArg_ParseTuple(args, "O!O!n:adjacent_repeats", &PyList_Type, &lines, &PyTuple_Type,
                          &tuple, &min_chars))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lines);
    if (PyTuple_GET_SIZE(tuple) != n) {
        PyErr_SetString(PyExc_ValueError, "adjacent_repeats: a key for each line");
        return NULL;
    }
    PyObject **keys = &PyTuple_GET_ITEM(tuple, 0);
    PyObject *out = PyList_New(0), *prev = NULL;
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        int blank = line_blank(PyList_GET_ITEM(lines, i));
        if (blank < 0 || !need_str(keys[i], "adjacent_repeats"))
            goto fail;
        if (blank)
            continue;
        if (prev != NULL && PyUnicode_GET_LENGTH(keys[i]) >= min_chars) {
            int eq = same(prev, keys[i]);
            if (eq < 0 || (eq && push_index(out, i) < 0))
                goto fail;
        }
        prev = keys[i];
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* ---- PL301-PL305: duplication._repeated_py, repeats._long_lines_py ------- */

/* duplication._repeated_py(keys) -> frozenset: the keys with text that occur more than once. */
PyObject *
speedups_repeated_keys(PyObject *self, PyObject *tuple)
{
    if (!PyTuple_Check(tuple)) {
        PyErr_SetString(PyExc_TypeError, "repeated_keys: keys must be a tuple");
        return NULL;
    }
    PyObject *seen = PySet_New(NULL), *again = PySet_New(NULL), *out = NULL;
    if (seen == NULL || again == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tuple); i++) {
        PyObject *key = PyTuple_GET_ITEM(tuple, i);
        if (!need_str(key, "repeated_keys"))
            goto done;
        if (PyUnicode_GET_LENGTH(key) == 0)
            continue;
        int known = PySet_Contains(seen, key);
        if (known < 0 || PySet_Add(known ? again : seen, key) < 0)
            goto done;
    }
    out = PyFrozenSet_New(again);
done:
    Py_XDECREF(seen);
    Py_XDECREF(again);
    return out;
}

/* repeats._long_lines_py(shapes, min_words) -> [int]: the lines whose shape (a tuple whose
 * first item is the word count; None for a blank line) has at least min_words words. */
PyObject *
speedups_long_lines(PyObject *self, PyObject *args)
{
    PyObject *shapes;
    Py_ssize_t min_words;
    if (!PyArg_ParseTuple(args, "O!n:long_lines", &PyTuple_Type, &shapes, &min_words))
        return NULL;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(shapes); i++) {
        PyObject *s = PyTuple_GET_ITEM(shapes, i);
        if (s == Py_None)
            continue;
        if (!PyTuple_Check(s) || PyTuple_GET_SIZE(s) < 1
                || !PyLong_Check(PyTuple_GET_ITEM(s, 0))) {
            PyErr_SetString(PyExc_TypeError, "long_lines: expected prose.Shape values or None");
            goto fail;
        }
        Py_ssize_t words = PyLong_AsSsize_t(PyTuple_GET_ITEM(s, 0));
        if (words == -1 && PyErr_Occurred())
            goto fail;
        if (words >= min_words && push_index(out, i) < 0)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}
