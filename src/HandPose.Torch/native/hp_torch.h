// The C ABI of the HandPose libtorch shim. Every function catches every C++ exception: on failure it returns a
// negative status (or NULL) and hp_last_error() returns the message of the last failure on the calling thread.
#ifndef HP_TORCH_H
#define HP_TORCH_H

#include <stdint.h>

#if defined(_WIN32)
#define HP_API __declspec(dllexport)
#else
#define HP_API __attribute__((visibility("default")))
#endif

// Bump when any signature or struct below changes; the managed side refuses a shim with another value.
#define HP_ABI_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

// Argument / result kinds of hp_op_call.
enum hp_kind {
  HP_NONE = 0,        // None (an optional argument left out)
  HP_TENSOR = 1,      // p: tensor handle
  HP_INT = 2,         // i
  HP_DOUBLE = 3,      // d
  HP_BOOL = 4,        // i (0/1)
  HP_INT_LIST = 5,    // p: int64_t[n]
  HP_DOUBLE_LIST = 6, // p: double[n]
  HP_TENSOR_LIST = 7, // p: handle[n]
  HP_STRING = 8,      // p: UTF-8, NUL-terminated
  HP_DEFAULT = 9      // the schema's default value
};

typedef struct hp_arg {
  int32_t kind;
  int32_t reserved;
  int64_t i;
  double d;
  const void* p;
  int64_t n;
} hp_arg;

HP_API int32_t hp_abi_version(void);
HP_API const char* hp_torch_version(void);
HP_API const char* hp_last_error(void);
HP_API int32_t hp_cuda_device_count(void);

HP_API int32_t hp_set_num_threads(int32_t n);
HP_API int32_t hp_get_num_threads(void);
HP_API int32_t hp_manual_seed(uint64_t seed);
HP_API int32_t hp_set_deterministic(int32_t on);
HP_API int32_t hp_grad_enabled(void);
HP_API int32_t hp_set_grad_enabled(int32_t on); // returns the previous state
HP_API void* hp_rng_get_state(void);
HP_API int32_t hp_rng_set_state(void* state);

// Creates a tensor owning a copy of data (element strides optional, NULL = contiguous) on the given device.
HP_API void* hp_tensor_from_data(const void* data, int32_t dtype, const int64_t* shape, int32_t ndim,
                                 const int64_t* strides, int64_t storage_offset, int32_t device_type,
                                 int32_t device_index);
HP_API void hp_tensor_free(void* t);
HP_API int32_t hp_tensor_ndim(void* t);
HP_API int32_t hp_tensor_shape(void* t, int64_t* shape, int32_t capacity);
HP_API int32_t hp_tensor_dtype(void* t);
HP_API int32_t hp_tensor_device(void* t, int32_t* device_index);
// Copies the tensor (converted to dtype, on the CPU, contiguous) into dst; nbytes must match exactly.
HP_API int32_t hp_tensor_copy_to(void* t, int32_t dtype, void* dst, int64_t nbytes);
HP_API int32_t hp_tensor_requires_grad(void* t);
HP_API int32_t hp_tensor_set_requires_grad(void* t, int32_t on);
HP_API int32_t hp_tensor_grad(void* t, void** grad); // *grad = NULL when the tensor has no gradient
HP_API int32_t hp_tensor_set_grad(void* t, void* grad); // grad NULL clears it
HP_API int32_t hp_tensor_backward(void* t, void* grad, int32_t retain_graph);
HP_API int32_t hp_tensor_same(void* a, void* b);

// Operators through the dispatcher (autograd included): look up once, call many times.
HP_API void* hp_op_find(const char* name, const char* overload);
HP_API int32_t hp_op_call(void* op, const hp_arg* args, int32_t nargs, hp_arg* outs, int32_t capacity);

#ifdef __cplusplus
}
#endif

#endif
