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

/* Functions of the other C files, for the method table in _speedups.c. */
PyObject *speedups_shape_parts(PyObject *self, PyObject *text);   /* _speedups_shape.c */
PyObject *speedups_map_texts(PyObject *self, PyObject *args);     /* _speedups_loops.c */
PyObject *speedups_index_lines(PyObject *self, PyObject *args);   /* _speedups_loops.c */

#endif
