/* Shared by the C files of provlint._speedups (see _speedups.c). */
#ifndef PROVLINT_SPEEDUPS_H
#define PROVLINT_SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static inline int
in_set(Py_UCS4 c, const Py_UCS4 *set, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++)
        if (set[i] == c)
            return 1;
    return 0;
}

static inline int
is_ascii_alnum(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* str.isalnum() and str.isdecimal() of one character, answered inline for
 * ASCII (where they are exactly [A-Za-z0-9] and [0-9]); CPython's own tests
 * are up to four table look-ups in function calls. */
static inline int
is_alnum(Py_UCS4 c)
{
    return c < 128 ? is_ascii_alnum(c) : Py_UNICODE_ISALNUM(c);
}

static inline int
is_decimal(Py_UCS4 c)
{
    return c < 128 ? c >= '0' && c <= '9' : Py_UNICODE_ISDECIMAL(c);
}

/* A character of lines.WS_CHARS (the list WS_LIST in _speedups.c, which native.py
 * checks is the same). */
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

static inline int
need_str(PyObject *o, const char *func)
{
    if (PyUnicode_Check(o))
        return 1;
    PyErr_Format(PyExc_TypeError, "%s() needs a str, not %.100s", func, Py_TYPE(o)->tp_name);
    return 0;
}

/* A new instance of the tuple subclass ``type`` (lines.Line, prose.Shape) holding the
 * ``n`` ``items``, which it steals; NULL, with every item released, if one is NULL or
 * the allocation fails. Its items are ints, strs and bools, so it can never be part of
 * a cycle: it is not tracked by the cyclic collector, which would otherwise look at
 * it in every collection while it lives (CPython untracks only exact tuples itself). */
static inline PyObject *
record_of(PyTypeObject *type, PyObject **items, Py_ssize_t n)
{
    PyObject *rec = NULL;
    int bad = 0;
    for (Py_ssize_t k = 0; k < n; k++)
        bad |= items[k] == NULL;
    if (!bad)
        rec = type->tp_alloc(type, n);
    if (rec == NULL) {
        for (Py_ssize_t k = 0; k < n; k++)
            Py_XDECREF(items[k]);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++)
        PyTuple_SET_ITEM(rec, k, items[k]);
    PyObject_GC_UnTrack(rec);
    return rec;
}

/* Append the index i to the list out; -1 on error. */
static inline int
push_index(PyObject *out, Py_ssize_t i)
{
    PyObject *at = PyLong_FromSsize_t(i);
    int rc = at == NULL ? -1 : PyList_Append(out, at);
    Py_XDECREF(at);
    return rc;
}

/* The blank flag of the lines.Line ln (a tuple of six items): 1, 0, or -1 on error. */
static inline int
line_blank(PyObject *ln)
{
    if (!PyTuple_Check(ln) || PyTuple_GET_SIZE(ln) < 6) {
        PyErr_SetString(PyExc_TypeError, "expected lines.Line values");
        return -1;
    }
    return PyObject_IsTrue(PyTuple_GET_ITEM(ln, 5));
}

/* Functions of the other C files, for the method table in _speedups.c. */
PyObject *speedups_shape_parts(PyObject *self, PyObject *args);   /* _speedups_shape.c */
/* shape_parts(text, shape_type) without parsing its arguments (shape_type: a tuple subclass) */
PyObject *shape_record(PyObject *text, PyTypeObject *shape_type); /* _speedups_shape.c */
PyObject *speedups_main_block(PyObject *self, PyObject *args);    /* _speedups_shape.c */
PyObject *speedups_prose_span(PyObject *self, PyObject *args);    /* _speedups_shape.c */
PyObject *speedups_map_texts(PyObject *self, PyObject *args);     /* _speedups_loops.c */
PyObject *speedups_index_lines(PyObject *self, PyObject *args);   /* _speedups_loops.c */
PyObject *speedups_labelled(PyObject *self, PyObject *args);      /* _speedups_loops.c */
PyObject *speedups_credit_quick(PyObject *self, PyObject *args);  /* _speedups_credit.c */
PyObject *speedups_trim_key(PyObject *self, PyObject *key);       /* _speedups.c */
PyObject *speedups_phrase_entry(PyObject *self, PyObject *const *args,
                                Py_ssize_t nargs);                   /* _speedups_linetests.c */
PyObject *speedups_shape_of(PyObject *self, PyObject *const *args,
                            Py_ssize_t nargs);                       /* _speedups_linetests.c */
PyObject *speedups_credit_like(PyObject *self, PyObject *args);   /* _speedups_linetests.c */
PyObject *speedups_has_control(PyObject *self, PyObject *text);   /* _speedups_whitespace.c */
PyObject *speedups_trailing_ws(PyObject *self, PyObject *text);   /* _speedups_whitespace.c */
PyObject *speedups_repeated_blocks(PyObject *self, PyObject *args);  /* _speedups_repeats.c */
PyObject *speedups_adjacent_repeats(PyObject *self, PyObject *args);  /* _speedups_repeats.c */
PyObject *speedups_blank_runs(PyObject *self, PyObject *args);    /* _speedups_whitespace.c */
PyObject *speedups_repeated_keys(PyObject *self, PyObject *keys); /* _speedups_repeats.c */
PyObject *speedups_long_lines(PyObject *self, PyObject *args);    /* _speedups_repeats.c */
PyObject *speedups_credit_candidates(PyObject *self, PyObject *args);  /* _speedups_credit_scan.c */
/* split_lines's reuse of the previous split's lines and strs (_speedups_resplit.c) */
typedef struct {
    PyObject **old;  /* the previous split's lines (borrowed from its list) */
    Py_ssize_t n, next, missed, found, old_len;  /* next: the old line after the last
                                                  * twin; missed: the lines without
                                                  * one since; found: the twins */
} Resplit;
int resplit_start(Resplit *r, PyObject *prev);
/* The old line equal to the new one (a new reference), or NULL, then with *text set to
 * a new reference to an old str equal to the line's text when there is one. */
/* The int i: a new reference to a kept one for small i (no allocation; _speedups_resplit.c
 * keeps them, made by int_make when first asked for). */
#define KEPT_INTS (1 << 16)
extern PyObject *kept_ints[KEPT_INTS];
PyObject *int_make(Py_ssize_t i);
static inline PyObject *
int_of(Py_ssize_t i)
{
    if (i >= 0 && i < KEPT_INTS && kept_ints[i] != NULL)
        return Py_NewRef(kept_ints[i]);
    return int_make(i);
}
PyObject *resplit_line(Resplit *r, View v, Py_ssize_t index, Py_ssize_t start,
                       Py_ssize_t end, Py_ssize_t stop, PyObject **text);
/* scan.lowered of a text, shared by the scans of one text (_speedups_scan.c) */
#define FOLD_PAD 4
unsigned char *fold_take(PyObject *text, int *odd);
void fold_done(PyObject *text, unsigned char *buf);
PyObject *speedups_select_fixes(PyObject *self, PyObject *args);  /* _speedups_engine.c */
PyObject *speedups_collect_hits(PyObject *self, PyObject *const *args,
                                Py_ssize_t nargs);                    /* _speedups_hits.c */
PyObject *speedups_apply_fixes(PyObject *self, PyObject *const *args,
                               Py_ssize_t nargs);                     /* _speedups_hits.c */
PyObject *speedups_fix_pass(PyObject *self, PyObject *const *args,
                             Py_ssize_t nargs);                       /* _speedups_fixpass.c */

/* The (start, end) of the edits a pass has taken, sorted (_speedups_engine.c). */
typedef struct {
    Py_ssize_t start, end;
} Pair;
typedef struct {
    Pair *items;
    Py_ssize_t n, cap;
} Taken;
/* engine._collides: whether (start, end) conflicts with a taken edit. */
int taken_collides(const Taken *t, Py_ssize_t start, Py_ssize_t end);
/* Take (start, end): appended after ``*reach`` or inserted in order (then ``*in_order``
 * is cleared); -1 with MemoryError. */
int taken_add(Taken *t, Py_ssize_t *reach, int *in_order, Py_ssize_t start, Py_ssize_t end);

/* One edit to apply (_speedups_hits.c): where, its fix's place among the pass's fixes
 * (the sort key of the out-of-order case; a Fix's own edits never overlap, so
 * (start, end, fix) never ties), and the new references that go into its AppliedEdit. */
typedef struct {
    Py_ssize_t start, end, fix;
    PyObject *span, *after, *code, *app;
} Rec;
/* qsort's order of Recs: by (start, end, fix). */
int rec_order(const void *pa, const void *pb);
/* Release the references of ``n`` Recs and free the array (PyMem). */
void free_recs(Rec *recs, Py_ssize_t n);
/* The ``recs`` (in text order) applied to ``text``: (new text, [cls AppliedEdit]). */
PyObject *apply_recs(PyObject *text, Rec *recs, Py_ssize_t n, PyObject *pass_no,
                     PyTypeObject *cls);

/* One attribute read by name: where a __slots__ class keeps it (its member descriptor's
 * offset), valid while the class's version tag is (any change to the class or a base
 * renews the tag). */
typedef struct {
    const char *name;
    PyObject *key; /* the interned name, made on first use */
    PyTypeObject *type;
    unsigned int version;
    Py_ssize_t offset;
} Slot;
/* obj.<cache->name>, read from its plain slot when its class has one (_speedups_hits.c). */
PyObject *slot_get(PyObject *obj, Slot *cache);
/* int(obj.<slot>) into *out; -1 on error (_speedups_hits.c). */
int as_index(PyObject *obj, Slot *slot, Py_ssize_t *out);

#endif
