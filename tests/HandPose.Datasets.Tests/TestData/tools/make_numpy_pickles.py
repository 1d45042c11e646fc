"""Writes numpy-pickle/*.pickle, the fixtures of NumpyPickleTests (run: /usr/bin/python3 tools/make_numpy_pickles.py)."""
import os
import pickle
import numpy as np

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'numpy-pickle')


def dump(obj, name, protocol=3):
    with open(os.path.join(out, name), 'wb') as f:
        pickle.dump(obj, f, protocol=protocol)


arrays = {
    'f4': (np.arange(6, dtype=np.float32) * 1.5 - 2).reshape(2, 3),
    'f8': np.array([0.1, -1e300, np.inf], dtype=np.float64),
    'i1': np.array([-128, 0, 127], dtype=np.int8),
    'u1': np.array([0, 200, 255], dtype=np.uint8),
    'i2': np.array([-32768, 1, 32767], dtype=np.int16),
    'u2': np.array([0, 40000, 65535], dtype=np.uint16),
    'i4': np.array([-2**31, 5, 2**31 - 1], dtype=np.int32),
    'u4': np.array([0, 3000000000, 2**32 - 1], dtype=np.uint32),
    'i8': np.array([-2**63, 2**53 + 1, 2**63 - 1], dtype=np.int64),
    'u8': np.array([0, 7, 2**64 - 1], dtype=np.uint64),
    'b1': np.array([True, False, True]),
    'f8_big_endian': np.array([1.25, -3.5], dtype='>f8'),
    'i4_big_endian': np.array([[1, -2], [3, 70000]], dtype='>i4'),
    'f4_fortran': np.asfortranarray(np.arange(24, dtype=np.float32).reshape(2, 3, 4)),
    'empty': np.zeros((0, 3)),
    'scalar': np.array(7.25),
}
for protocol in (2, 3, 5):
    dump(arrays, 'dtypes_p%d.pickle' % protocol, protocol)

dump({'half': np.ones(3, dtype=np.float16)}, 'bad_float16.pickle')
dump({'objects': np.array(['a', None], dtype=object)}, 'bad_object_array.pickle')


class ShortArray:
    """Reduces like an ndarray of shape (2, 3) float64 whose data holds 40 bytes instead of 48."""

    def __reduce__(self):
        return (np.core.multiarray._reconstruct, (np.ndarray, (0,), b'b'), (1, (2, 3), np.dtype('f8'), False, b'\0' * 40))


dump({'short': ShortArray()}, 'bad_short_data.pickle')
cyclic = [np.array([1.0, 2.0])]
cyclic.append(cyclic)
dump(cyclic, 'cyclic_list.pickle')
