/* A rule's hits made in one call (checks.hits.fixed_hits_py in C).
 *
 * Each hit is a Span, an Edit, a Fix and a Hit (provlint.model). They are made as
 * ``object.__new__`` makes them and their slots filled as their ``__init__`` fills them,
 * without a Python frame per object. The types' slots are checked once (their names),
 * so a changed model.py is refused rather than filled wrongly.
 */
#include "_speedups.h"

#include <string.h>
#include <structmember.h>

/* The model types, their slot offsets and the fill-in values, from the last ``types``. */
static struct {
    PyObject *types;  /* the tuple they were read from (a strong reference) */
    PyTypeObject *span, *edit, *fix, *hit;
    Py_ssize_t span_start, span_end, edit_span, edit_replacement, fix_title, fix_edits,
        fix_applicability, hit_span, hit_message, hit_fix, hit_metadata;
    PyObject *safe, *empty;
} M;

/* The offsets of ``type``'s slots, which must be exactly ``names`` (in any order: the
 * type keeps them sorted). */
static int
slot_offsets(PyObject *type, const char *const *names, Py_ssize_t *const *offsets, int n)
{
    if (!PyType_Check(type) || ((PyTypeObject *)type)->tp_members == NULL)
        goto bad;
    int seen = 0;
    for (PyMemberDef *m = ((PyTypeObject *)type)->tp_members; m->name != NULL; m++, seen++) {
        int i = 0;
        while (i < n && strcmp(m->name, names[i]) != 0)
            i++;
        if (i == n || m->type != T_OBJECT_EX || (m->flags & READONLY))
            goto bad;
        *offsets[i] = m->offset;
    }
    if (seen == n)
        return 0;
bad:
    PyErr_Format(PyExc_TypeError, "fixed_hits: %R does not have the slots of model.py", type);
    return -1;
}

static int
load_types(PyObject *types)
{
    if (types == M.types)
        return 0;
    if (!PyTuple_Check(types) || PyTuple_GET_SIZE(types) != 6) {
        PyErr_SetString(PyExc_TypeError, "fixed_hits: types must be a 6-tuple");
        return -1;
    }
    Py_CLEAR(M.types);  /* nothing below is used again until a load succeeds */
    PyObject **t = &PyTuple_GET_ITEM(types, 0);
    static const char *const span[] = {"start", "end"}, *const edit[] = {"span", "replacement"},
        *const fix[] = {"title", "edits", "applicability"},
        *const hit[] = {"span", "message", "fix", "metadata"};
    if (slot_offsets(t[0], span, (Py_ssize_t *const[]){&M.span_start, &M.span_end}, 2) < 0
        || slot_offsets(t[1], edit, (Py_ssize_t *const[]){&M.edit_span, &M.edit_replacement},
                        2) < 0
        || slot_offsets(t[2], fix, (Py_ssize_t *const[]){&M.fix_title, &M.fix_edits,
                                                         &M.fix_applicability}, 3) < 0
        || slot_offsets(t[3], hit, (Py_ssize_t *const[]){&M.hit_span, &M.hit_message,
                                                         &M.hit_fix, &M.hit_metadata}, 4) < 0)
        return -1;
    M.span = (PyTypeObject *)t[0];
    M.edit = (PyTypeObject *)t[1];
    M.fix = (PyTypeObject *)t[2];
    M.hit = (PyTypeObject *)t[3];
    M.safe = t[4];
    M.empty = t[5];
    M.types = Py_NewRef(types);  /* keeps every borrowed item above alive */
    return 0;
}

#define SLOT(obj, offset) (*(PyObject **)((char *)(obj) + (offset)))

/* A new instance of ``type`` (as object.__new__ makes it: every slot unset). */
static inline PyObject *
blank(PyTypeObject *type)
{
    return type->tp_alloc(type, 0);
}

/* The hit for (start, end) with message ``msg`` (stolen); NULL on error. */
static PyObject *
one_hit(PyObject *start, PyObject *end, PyObject *msg, PyObject *title, PyObject *repl)
{
    PyObject *span = blank(M.span), *edit = NULL, *edits = NULL, *fix = NULL, *hit = NULL;
    if (span == NULL)
        goto done;
    SLOT(span, M.span_start) = Py_NewRef(start);
    SLOT(span, M.span_end) = Py_NewRef(end);
    if ((edit = blank(M.edit)) == NULL)
        goto done;
    SLOT(edit, M.edit_span) = Py_NewRef(span);
    SLOT(edit, M.edit_replacement) = Py_NewRef(repl);
    if ((edits = PyTuple_Pack(1, edit)) == NULL || (fix = blank(M.fix)) == NULL)
        goto done;
    SLOT(fix, M.fix_title) = Py_NewRef(title);
    SLOT(fix, M.fix_edits) = Py_NewRef(edits);
    SLOT(fix, M.fix_applicability) = Py_NewRef(M.safe);
    if ((hit = blank(M.hit)) == NULL)
        goto done;
    SLOT(hit, M.hit_span) = Py_NewRef(span);
    SLOT(hit, M.hit_message) = msg;
    msg = NULL;
    SLOT(hit, M.hit_fix) = Py_NewRef(fix);
    SLOT(hit, M.hit_metadata) = Py_NewRef(M.empty);
done:
    Py_XDECREF(msg);
    Py_XDECREF(span);
    Py_XDECREF(edit);
    Py_XDECREF(edits);
    Py_XDECREF(fix);
    return hit;
}

/* fixed_hits(found, prefix, suffix, title, replacement, types) -> [Hit] */
PyObject *
speedups_fixed_hits(PyObject *self, PyObject *args)
{
    PyObject *found, *prefix, *suffix, *title, *repl, *types;
    if (!PyArg_ParseTuple(args, "O!UUUUO:fixed_hits", &PyList_Type, &found, &prefix, &suffix,
                          &title, &repl, &types)
        || load_types(types) < 0)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(found);
    PyObject *out = PyList_New(n);
    PyObject *msgs[32] = {NULL};  /* the message of each small n, made once */
    for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
        PyObject *item = PyList_GET_ITEM(found, i), *hit = NULL;
        Py_ssize_t size = PyTuple_Check(item) ? PyTuple_GET_SIZE(item) : 0;
        if (size != 2 && size != 3) {
            PyErr_SetString(PyExc_TypeError, "fixed_hits: items must be (start, end[, n])");
            goto fail;
        }
        PyObject *start = PyTuple_GET_ITEM(item, 0), *end = PyTuple_GET_ITEM(item, 1);
        Py_ssize_t a = PyLong_AsSsize_t(start);
        if (a == -1 && PyErr_Occurred())
            goto fail;
        Py_ssize_t b = PyLong_AsSsize_t(end);
        if (b == -1 && PyErr_Occurred())
            goto fail;
        if (a < 0 || b < a) {
            PyErr_Format(PyExc_ValueError, "bad span [%zd, %zd)", a, b);
            goto fail;
        }
        Py_ssize_t k = b - a;
        if (size == 3 && (k = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 2))) == -1
            && PyErr_Occurred())
            goto fail;
        PyObject *msg;
        if (k >= 0 && k < COUNT(msgs) && msgs[k] != NULL)
            msg = Py_NewRef(msgs[k]);
        else if ((msg = PyUnicode_FromFormat("%U%zd%U", prefix, k, suffix)) == NULL)
            goto fail;
        else if (k >= 0 && k < COUNT(msgs))
            msgs[k] = Py_NewRef(msg);
        if ((hit = one_hit(start, end, msg, title, repl)) == NULL)
            goto fail;
        PyList_SET_ITEM(out, i, hit);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    for (int j = 0; j < COUNT(msgs); j++)
        Py_XDECREF(msgs[j]);
    return out;
}
