/* Scans of the white-space, encoding and repeated-block rules for provlint._speedups.
 *
 * Each function's pure-Python twin is named in its comment and is the
 * specification; tests/test_native.py compares the two.
 */
#include "_speedups.h"

/* ---- PL103: encoding.has_control ------------------------------------------ */

/* encoding._CONTROL_RE's class: C0 controls but tab, LF and CR; DEL; C1 controls. Written
 * without branches, so that the compiler can test many characters at once. */
#define IS_CONTROL(c) ((((c) < 0x20) & ((c) != '\t') & ((c) != '\n') & ((c) != '\r')) \
                       | ((Py_UCS4)((c) - 0x7f) <= 0x20))

/* Whether the n characters at d (of type T) hold a control: blocks of 256 are tested
 * whole, so the loop has no exit per character. */
#define ANY_CONTROL(T, d, n)                                                      \
    do {                                                                          \
        const T *p_ = (const T *)(d);                                             \
        for (Py_ssize_t i_ = 0; i_ < (n); i_ += 256) {                            \
            Py_ssize_t end_ = i_ + 256 < (n) ? i_ + 256 : (n);                    \
            int acc_ = 0;                                                         \
            for (Py_ssize_t k_ = i_; k_ < end_; k_++)                             \
                acc_ |= IS_CONTROL((Py_UCS4)p_[k_]);                              \
            if (acc_)                                                             \
                Py_RETURN_TRUE;                                                   \
        }                                                                         \
    } while (0)

/* encoding.has_control(text) -> bool */
PyObject *
speedups_has_control(PyObject *self, PyObject *text)
{
    if (!need_str(text, "has_control"))
        return NULL;
    View v = view_of(text);
    if (v.kind == PyUnicode_1BYTE_KIND)
        ANY_CONTROL(Py_UCS1, v.data, v.n);
    else if (v.kind == PyUnicode_2BYTE_KIND)
        ANY_CONTROL(Py_UCS2, v.data, v.n);
    else
        ANY_CONTROL(Py_UCS4, v.data, v.n);
    Py_RETURN_FALSE;
}
