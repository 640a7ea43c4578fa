/* engine._fix_pass_py in C: a pass's fixes chosen and applied in one walk over its hits.
 *
 * select_fixes (_speedups_engine.c) then apply_fixes (_speedups_hits.c) make a
 * (code, fix) pair per accepted fix, then read each fix's edits, spans and
 * replacements again; a pass of pass 1's size (~70 fixes, nearly all one-edit fixes
 * of trailing white space and blank runs) spends most of its time on that. Here each
 * accepted edit goes straight into the Rec that apply_recs turns into an AppliedEdit,
 * and the fields are read from their slots (slot_get) instead of by name.
 */
#include "_speedups.h"

static Slot h_fix = {"fix"}, r_fixable = {"fixable"}, f_app = {"applicability"},
            f_edits = {"edits"}, e_span = {"span"}, e_replacement = {"replacement"},
            s_start = {"start"}, s_end = {"end"};

typedef struct {
    Rec *items;
    Py_ssize_t n, cap;
} Recs;

/* A zeroed Rec at the end of ``r``; NULL with MemoryError. */
static Rec *
push(Recs *r)
{
    if (r->n == r->cap) {
        Py_ssize_t cap = r->cap ? r->cap * 2 : 64;
        Rec *items = PyMem_Realloc(r->items, (size_t)cap * sizeof(Rec));
        if (items == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        r->items = items;
        r->cap = cap;
    }
    Rec *rec = &r->items[r->n++];
    memset(rec, 0, sizeof *rec);
    return rec;
}

/* Drop the Recs from ``mark`` on (a fix that is not taken). */
static void
pop_to(Recs *r, Py_ssize_t mark)
{
    while (r->n > mark) {
        Rec *rec = &r->items[--r->n];
        Py_XDECREF(rec->span);
        Py_XDECREF(rec->after);
        Py_XDECREF(rec->code);
        Py_XDECREF(rec->app);
    }
}

/* What a pass's walk keeps: the taken spans, the accepted edits, and the last rule
 * asked whether its fixes apply (hits of one rule come in runs). */
typedef struct {
    Taken taken;
    Recs recs;
    Py_ssize_t reach, fixes;
    int in_order, unsafe;
    PyObject *unsafe_app, *writable, *last_rule;
    int last_fixable;
} Walk;

/* Whether the rule ``ar`` lets its fixes apply (``ar.fixable``): 1, 0 or -1. */
static int
fixable(Walk *w, PyObject *ar)
{
    if (ar != w->last_rule) {
        PyObject *v = slot_get(ar, &r_fixable);
        int ok = v ? PyObject_IsTrue(v) : -1;
        Py_XDECREF(v);
        if (ok < 0)
            return -1;
        Py_XSETREF(w->last_rule, Py_NewRef(ar));
        w->last_fixable = ok;
    }
    return w->last_fixable;
}

/* The ``edits`` of a fix (``seq`` made a PySequence_Fast) when they do not collide with the taken
 * ones and can be written: 1 with them appended to w->recs, 0 when not, -1 on error
 * (engine._select_fixes_py's test of one fix, in its order of reads). */
static int
take(Walk *w, PyObject *seq, PyObject *edits, PyObject *code, PyObject *app)
{
    Py_ssize_t n = PySequence_Fast_GET_SIZE(edits), mark = w->recs.n;
    for (Py_ssize_t k = 0; k < n; k++) {
        Rec *r = push(&w->recs);
        if (r == NULL)
            goto fail;
        r->fix = w->fixes;
        if ((r->span = slot_get(PySequence_Fast_GET_ITEM(edits, k), &e_span)) == NULL
            || as_index(r->span, &s_start, &r->start) < 0
            || as_index(r->span, &s_end, &r->end) < 0)
            goto fail;
        if (r->start <= w->reach && taken_collides(&w->taken, r->start, r->end)) {
            pop_to(&w->recs, mark);
            return 0;
        }
    }
    int ascii = 1;
    for (Py_ssize_t k = 0; k < n; k++) {
        Rec *r = &w->recs.items[mark + k];
        if ((r->after = slot_get(PySequence_Fast_GET_ITEM(edits, k), &e_replacement)) == NULL)
            goto fail;
        ascii = ascii && PyUnicode_Check(r->after) && PyUnicode_IS_ASCII(r->after);
    }
    if (!ascii) {  /* rare: text that may not exist in the input's encoding */
        PyObject *ok = PyObject_CallOneArg(w->writable, seq);
        int writable = ok ? PyObject_IsTrue(ok) : -1;
        Py_XDECREF(ok);
        if (writable != 1) {
            pop_to(&w->recs, mark);
            return writable;
        }
    }
    for (Py_ssize_t k = mark; k < w->recs.n; k++) {
        Rec *r = &w->recs.items[k];
        if (taken_add(&w->taken, &w->reach, &w->in_order, r->start, r->end) < 0)
            goto fail;
        r->code = Py_NewRef(code);
        r->app = Py_NewRef(app);
    }
    w->fixes++;
    return 1;
fail:
    pop_to(&w->recs, mark);
    return -1;
}

/* One of the pass's hits (an engine._Hit): its fix taken or not; -1 on error. */
static int
walk_hit(Walk *w, PyObject *h)
{
    if (!PyTuple_Check(h) || PyTuple_GET_SIZE(h) < 8) {
        PyErr_SetString(PyExc_TypeError, "fix_pass: a hit must be an 8-tuple");
        return -1;
    }
    PyObject *fix = slot_get(PyTuple_GET_ITEM(h, 6), &h_fix);
    if (fix == NULL)
        return -1;
    PyObject *app = NULL, *seq = NULL, *edits = NULL;
    int ok = fix == Py_None ? 0 : fixable(w, PyTuple_GET_ITEM(h, 5));
    if (ok == 1) {
        app = slot_get(fix, &f_app);
        ok = app == NULL ? -1 : (w->unsafe || app != w->unsafe_app);
    }
    if (ok == 1) {
        seq = slot_get(fix, &f_edits);
        edits = seq ? PySequence_Fast(seq, "a fix's edits must be a sequence") : NULL;
        ok = edits == NULL ? -1 : take(w, seq, edits, PyTuple_GET_ITEM(h, 2), app);
    }
    Py_XDECREF(edits);
    Py_XDECREF(seq);
    Py_XDECREF(app);
    Py_DECREF(fix);
    return ok < 0 ? -1 : 0;
}

/* fix_pass(text, hits, unsafe, unsafe_applicability, writable, pass_no, cls)
 * -> (text, applied, fixes): engine._fix_pass_py in C. */
PyObject *
speedups_fix_pass(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7 || !PyUnicode_Check(args[0]) || !PyList_Check(args[1])
        || !PyType_Check(args[6])) {
        PyErr_SetString(PyExc_TypeError, "fix_pass(text: str, hits: list, unsafe,"
                        " unsafe_applicability, writable, pass_no, cls: type)");
        return NULL;
    }
    PyObject *text = args[0], *hits = args[1], *out = NULL;
    Walk w = {.reach = -1, .in_order = 1, .unsafe_app = args[3], .writable = args[4]};
    if ((w.unsafe = PyObject_IsTrue(args[2])) < 0)
        return NULL;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(hits); i++)
        if (walk_hit(&w, PyList_GET_ITEM(hits, i)) < 0)
            goto done;
    if (w.fixes == 0) {
        out = Py_BuildValue("(O[]n)", text, w.fixes);
        goto done;
    }
    if (!w.in_order)
        qsort(w.recs.items, (size_t)w.recs.n, sizeof(Rec), rec_order);
    PyObject *applied = apply_recs(text, w.recs.items, w.recs.n, args[5],
                                   (PyTypeObject *)args[6]);
    if (applied != NULL)
        out = Py_BuildValue("(OOn)", PyTuple_GET_ITEM(applied, 0),
                            PyTuple_GET_ITEM(applied, 1), w.fixes);
    Py_XDECREF(applied);
done:
    Py_XDECREF(w.last_rule);
    PyMem_Free(w.taken.items);
    free_recs(w.recs.items, w.recs.n);
    return out;
}
