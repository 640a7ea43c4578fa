/* The model's value types made quickly: a rule's hits in one call (fixed_hits:
 * checks.hits.fixed_hits_py in C) and the fields of any of them set in one call
 * (fill: model._fill_py in C, what their __init__s use).
 *
 * Each hit is a Span, an Edit, a Fix and a Hit (provlint.model). They are made as
 * ``object.__new__`` makes them and their slots filled as their ``__init__`` fills them,
 * without a Python frame per object. The types' slots are checked once (their names),
 * so a changed model.py is refused rather than filled wrongly.
 */
#include "_speedups.h"

#include <string.h>
#include <structmember.h>

/* The model types, their slot offsets and the metadata, from the last ``types``. */
static struct {
    PyObject *types;  /* the tuple they were read from (a strong reference) */
    PyTypeObject *span, *edit, *fix, *hit;
    Py_ssize_t span_start, span_end, edit_span, edit_replacement, fix_title, fix_edits,
        fix_applicability, hit_span, hit_message, hit_fix, hit_metadata;
    PyObject *empty;
} M;

/* The offset of the plain slot ``name`` of ``type`` (or of a base too, with ``bases``),
 * -1 if none (no error set): where object.__setattr__ would store the field. */
static Py_ssize_t
member_offset(PyTypeObject *type, const char *name, int bases)
{
    for (PyTypeObject *t = type; t != NULL; t = bases ? t->tp_base : NULL)
        for (PyMemberDef *m = t->tp_members; m != NULL && m->name != NULL; m++)
            if (strcmp(m->name, name) == 0 && m->type == T_OBJECT_EX && !(m->flags & READONLY))
                return m->offset;
    return -1;
}

/* The offsets of ``type``'s slots, which must be exactly ``names`` (in any order: the
 * type keeps them sorted). */
static int
slot_offsets(PyObject *type, const char *const *names, Py_ssize_t *const *offsets, int n)
{
    if (!PyType_Check(type) || ((PyTypeObject *)type)->tp_members == NULL)
        goto bad;
    int own = 0;
    for (PyMemberDef *m = ((PyTypeObject *)type)->tp_members; m->name != NULL; m++)
        own++;
    if (own != n)
        goto bad;
    for (int i = 0; i < n; i++)  /* each name one of the type's own n slots */
        if ((*offsets[i] = member_offset((PyTypeObject *)type, names[i], 0)) < 0)
            goto bad;
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
    if (!PyTuple_Check(types) || PyTuple_GET_SIZE(types) != 5) {
        PyErr_SetString(PyExc_TypeError, "fixed_hits: types must be a 5-tuple");
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
    M.empty = t[4];
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

/* The hit on ``span`` with message ``msg`` (both stolen); NULL on error. */
static PyObject *
one_hit(PyObject *span, PyObject *msg, PyObject *title, PyObject *repl, PyObject *app)
{
    PyObject *edit = blank(M.edit), *edits = NULL, *fix = NULL, *hit = NULL;
    if (edit == NULL)
        goto done;
    SLOT(edit, M.edit_span) = Py_NewRef(span);
    SLOT(edit, M.edit_replacement) = Py_NewRef(repl);
    if ((edits = PyTuple_Pack(1, edit)) == NULL || (fix = blank(M.fix)) == NULL)
        goto done;
    SLOT(fix, M.fix_title) = Py_NewRef(title);
    SLOT(fix, M.fix_edits) = Py_NewRef(edits);
    SLOT(fix, M.fix_applicability) = Py_NewRef(app);
    if ((hit = blank(M.hit)) == NULL)
        goto done;
    SLOT(hit, M.hit_span) = span;
    SLOT(hit, M.hit_message) = msg;
    span = msg = NULL;
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

/* A new Span(start, end), with Span's check of the two ints; NULL on error. */
static PyObject *
new_span(PyObject *start, PyObject *end)
{
    Py_ssize_t a = PyLong_AsSsize_t(start);
    if (a == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t b = PyLong_AsSsize_t(end);
    if (b == -1 && PyErr_Occurred())
        return NULL;
    if (a < 0 || b < a) {
        PyErr_Format(PyExc_ValueError, "bad span [%zd, %zd)", a, b);
        return NULL;
    }
    PyObject *span = blank(M.span);
    if (span != NULL) {
        SLOT(span, M.span_start) = Py_NewRef(start);
        SLOT(span, M.span_end) = Py_NewRef(end);
    }
    return span;
}

/* ``prefix + str(middle) + suffix``, for a str or an int ``middle``; ``msgs`` holds
 * the messages of the small ints made so far. */
static PyObject *
message(PyObject *prefix, PyObject *middle, PyObject *suffix, PyObject **msgs, Py_ssize_t size)
{
    if (PyUnicode_CheckExact(middle)) {
        if (PyUnicode_GET_LENGTH(prefix) == 0 && PyUnicode_GET_LENGTH(suffix) == 0)
            return Py_NewRef(middle);
        return PyUnicode_FromFormat("%U%U%U", prefix, middle, suffix);
    }
    if (!PyLong_CheckExact(middle)) {
        PyErr_SetString(PyExc_TypeError, "fixed_hits: a message's middle must be str or int");
        return NULL;
    }
    Py_ssize_t k = PyLong_AsSsize_t(middle);
    if (k == -1 && PyErr_Occurred())
        return NULL;
    if (k >= 0 && k < size && msgs[k] != NULL)
        return Py_NewRef(msgs[k]);
    PyObject *msg = PyUnicode_FromFormat("%U%zd%U", prefix, k, suffix);
    if (msg != NULL && k >= 0 && k < size)
        msgs[k] = Py_NewRef(msg);
    return msg;
}

/* fixed_hits(found, prefix, suffix, title, replacement, applicability, types) -> [Hit] */
PyObject *
speedups_fixed_hits(PyObject *self, PyObject *args)
{
    PyObject *found, *prefix, *suffix, *title, *repl, *app, *types;
    if (!PyArg_ParseTuple(args, "O!UUUUOO:fixed_hits", &PyList_Type, &found, &prefix, &suffix,
                          &title, &repl, &app, &types)
        || load_types(types) < 0)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(found);
    PyObject *out = PyList_New(n);
    PyObject *msgs[32] = {NULL};  /* the message of each small int middle, made once */
    for (Py_ssize_t i = 0; out != NULL && i < n; i++) {
        PyObject *item = PyList_GET_ITEM(found, i), *span, *middle, *msg, *hit;
        Py_ssize_t size = PyTuple_Check(item) ? PyTuple_GET_SIZE(item) : 0;
        if (size == 2 && PyObject_TypeCheck(PyTuple_GET_ITEM(item, 0), M.span)) {
            span = Py_NewRef(PyTuple_GET_ITEM(item, 0));
            middle = Py_NewRef(PyTuple_GET_ITEM(item, 1));
        }
        else if (size == 2 || size == 3) {
            if ((span = new_span(PyTuple_GET_ITEM(item, 0), PyTuple_GET_ITEM(item, 1))) == NULL)
                goto fail;
            middle = size == 3 ? Py_NewRef(PyTuple_GET_ITEM(item, 2))
                : PyNumber_Subtract(SLOT(span, M.span_end), SLOT(span, M.span_start));
            if (middle == NULL) {
                Py_DECREF(span);
                goto fail;
            }
        }
        else {
            PyErr_SetString(PyExc_TypeError,
                            "fixed_hits: items must be (start, end[, middle]) or (span, middle)");
            goto fail;
        }
        msg = message(prefix, middle, suffix, msgs, COUNT(msgs));
        Py_DECREF(middle);
        if (msg == NULL) {
            Py_DECREF(span);
            goto fail;
        }
        if ((hit = one_hit(span, msg, title, repl, app)) == NULL)
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

/* ---- model.py's __init__s: model._fill_py ------------------------------------ */

/* The slot offsets of a type's fields, in field order (its ``__match_args__``). */
#define MAX_TYPES 16
#define MAX_FIELDS 16
struct fields {
    PyTypeObject *type;  /* a strong reference: the address is never reused */
    Py_ssize_t n, offsets[MAX_FIELDS];
};
static struct fields FIELDS[MAX_TYPES];
static int n_fields;

/* The offset of the slot ``name`` of ``type`` or of a base; -1 (and an error) if none. */
static Py_ssize_t
slot_offset(PyTypeObject *type, PyObject *name)
{
    const char *s = PyUnicode_AsUTF8(name);
    if (s == NULL)
        return -1;
    Py_ssize_t offset = member_offset(type, s, 1);
    if (offset < 0)
        PyErr_Format(PyExc_TypeError, "fill: %R has no slot %R", type, name);
    return offset;
}

/* Read ``type``'s field offsets into ``into``; -1 on error. */
static int
read_fields(PyTypeObject *type, struct fields *into)
{
    PyObject *names = PyObject_GetAttrString((PyObject *)type, "__match_args__");
    if (names == NULL)
        return -1;
    int rc = -1;
    Py_ssize_t n = PyTuple_Check(names) ? PyTuple_GET_SIZE(names) : -1;
    if (n < 0 || n > MAX_FIELDS) {
        PyErr_Format(PyExc_TypeError, "fill: %R's fields are not a tuple of at most %d names",
                     type, MAX_FIELDS);
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++)
        if ((into->offsets[k] = slot_offset(type, PyTuple_GET_ITEM(names, k))) < 0)
            goto done;
    into->n = n;
    rc = 0;
done:
    Py_DECREF(names);
    return rc;
}

/* ``type``'s field offsets: remembered for the first MAX_TYPES types (the model's own),
 * read into ``spare`` each time for any further one (a subclass made by a plugin or a
 * test); NULL on error. */
static const struct fields *
fields_of(PyTypeObject *type, struct fields *spare)
{
    for (int i = 0; i < n_fields; i++)
        if (FIELDS[i].type == type)
            return &FIELDS[i];
    if (n_fields == MAX_TYPES)
        return read_fields(type, spare) < 0 ? NULL : spare;
    if (read_fields(type, &FIELDS[n_fields]) < 0)
        return NULL;
    FIELDS[n_fields].type = (PyTypeObject *)Py_NewRef(type);
    return &FIELDS[n_fields++];
}

/* fill(obj, *values): obj's fields, in field order, set to values (model._fill_py). */
PyObject *
speedups_fill(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "fill: no object");
        return NULL;
    }
    PyObject *obj = args[0];
    struct fields spare;
    const struct fields *f = fields_of(Py_TYPE(obj), &spare);
    if (f == NULL)
        return NULL;
    if (f->n != nargs - 1) {
        PyErr_Format(PyExc_TypeError, "fill: %R has %zd fields, not %zd", Py_TYPE(obj),
                     f->n, nargs - 1);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < nargs - 1; k++) {
        PyObject **slot = (PyObject **)((char *)obj + f->offsets[k]);
        Py_XSETREF(*slot, Py_NewRef(args[k + 1]));
    }
    Py_RETURN_NONE;
}
