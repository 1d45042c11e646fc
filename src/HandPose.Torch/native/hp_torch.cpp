// The HandPose libtorch shim. One translation unit (torch headers are slow to compile). Every exported function
// wraps its body in HP_TRY/HP_CATCH: C++ exceptions never cross the C boundary; their message is kept per thread.
#include "hp_torch.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/core/dispatch/Dispatcher.h>
#include <c10/core/GradMode.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <string>
#include <vector>

namespace {

thread_local std::string g_error;

#define HP_TRY try {
#define HP_CATCH(failure)                                 \
  }                                                       \
  catch (const c10::Error& e) {                           \
    g_error = e.what_without_backtrace();                 \
    return failure;                                       \
  }                                                       \
  catch (const std::exception& e) {                       \
    g_error = e.what();                                   \
    return failure;                                       \
  }                                                       \
  catch (...) {                                           \
    g_error = "unknown C++ exception in the libtorch shim"; \
    return failure;                                       \
  }

at::Tensor& T(void* handle) {
  TORCH_CHECK(handle != nullptr, "null tensor handle");
  return *static_cast<at::Tensor*>(handle);
}

void* Own(at::Tensor t) { return new at::Tensor(std::move(t)); }

c10::TypePtr Unwrapped(const c10::TypePtr& type) {
  if (auto optional = type->cast<c10::OptionalType>()) {
    return optional->getElementType();
  }
  return type;
}

c10::IValue ToIValue(const hp_arg& a, const c10::Argument& schema) {
  c10::TypeKind kind = Unwrapped(schema.type())->kind();
  switch (a.kind) {
    case HP_NONE:
      return c10::IValue();
    case HP_TENSOR:
      return T(const_cast<void*>(a.p));
    case HP_INT:
      if (kind == c10::TypeKind::FloatType) return c10::IValue(static_cast<double>(a.i));
      if (kind == c10::TypeKind::BoolType) return c10::IValue(a.i != 0);
      return c10::IValue(a.i);
    case HP_DOUBLE:
      return c10::IValue(a.d);
    case HP_BOOL:
      return c10::IValue(a.i != 0);
    case HP_INT_LIST: {
      const int64_t* p = static_cast<const int64_t*>(a.p);
      return c10::IValue(std::vector<int64_t>(p, p + a.n));
    }
    case HP_DOUBLE_LIST: {
      const double* p = static_cast<const double*>(a.p);
      return c10::IValue(std::vector<double>(p, p + a.n));
    }
    case HP_TENSOR_LIST: {
      void* const* p = static_cast<void* const*>(a.p);
      c10::List<at::Tensor> list;
      list.reserve(a.n);
      for (int64_t k = 0; k < a.n; ++k) list.push_back(T(p[k]));
      return c10::IValue(list);
    }
    case HP_STRING:
      if (kind == c10::TypeKind::DeviceObjType) return c10::IValue(c10::Device(std::string(static_cast<const char*>(a.p))));
      return c10::IValue(std::string(static_cast<const char*>(a.p)));
    default:
      TORCH_CHECK(false, "argument '", schema.name(), "': unknown argument kind ", a.kind);
  }
}

void Emit(const c10::IValue& v, hp_arg* outs, int32_t capacity, int32_t& count) {
  if (v.isTuple()) {
    for (const auto& e : v.toTupleRef().elements()) Emit(e, outs, capacity, count);
    return;
  }
  if (v.isTensorList()) {
    for (const at::Tensor& t : v.toTensorVector()) Emit(c10::IValue(t), outs, capacity, count);
    return;
  }
  TORCH_CHECK(count < capacity, "operator returned more than ", capacity, " results");
  hp_arg& o = outs[count++];
  o = hp_arg{};
  if (v.isTensor()) {
    const at::Tensor& t = v.toTensor();
    if (t.defined()) {
      o.kind = HP_TENSOR;
      o.p = Own(t);
    } else {
      o.kind = HP_NONE;
    }
  } else if (v.isInt()) {
    o.kind = HP_INT;
    o.i = v.toInt();
  } else if (v.isDouble()) {
    o.kind = HP_DOUBLE;
    o.d = v.toDouble();
  } else if (v.isBool()) {
    o.kind = HP_BOOL;
    o.i = v.toBool() ? 1 : 0;
  } else if (v.isNone()) {
    o.kind = HP_NONE;
  } else {
    --count;
    TORCH_CHECK(false, "operator returned an unsupported value of type ", v.tagKind());
  }
}

}  // namespace

extern "C" {

int32_t hp_abi_version(void) { return HP_ABI_VERSION; }

const char* hp_torch_version(void) { return TORCH_VERSION; }

const char* hp_last_error(void) { return g_error.c_str(); }

int32_t hp_cuda_device_count(void) {
  HP_TRY
  return static_cast<int32_t>(torch::cuda::device_count());
  HP_CATCH(0)
}

int32_t hp_set_num_threads(int32_t n) {
  HP_TRY
  at::set_num_threads(n);
  return 0;
  HP_CATCH(-1)
}

int32_t hp_get_num_threads(void) { return at::get_num_threads(); }

int32_t hp_manual_seed(uint64_t seed) {
  HP_TRY
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_current_seed(seed);
  return 0;
  HP_CATCH(-1)
}

int32_t hp_set_deterministic(int32_t on) {
  HP_TRY
  at::globalContext().setDeterministicAlgorithms(on != 0, false);
  return 0;
  HP_CATCH(-1)
}

int32_t hp_grad_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }

int32_t hp_set_grad_enabled(int32_t on) {
  bool previous = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(on != 0);
  return previous ? 1 : 0;
}

void* hp_rng_get_state(void) {
  HP_TRY
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return Own(gen.get_state());
  HP_CATCH(nullptr)
}

int32_t hp_rng_set_state(void* state) {
  HP_TRY
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(T(state));
  return 0;
  HP_CATCH(-1)
}

void* hp_tensor_from_data(const void* data, int32_t dtype, const int64_t* shape, int32_t ndim,
                          const int64_t* strides, int64_t storage_offset, int32_t device_type,
                          int32_t device_index) {
  HP_TRY
  TORCH_CHECK(ndim >= 0, "negative rank");
  auto options = at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype));
  std::vector<int64_t> sizes(shape, shape + ndim);
  int64_t numel = 1;
  for (int64_t s : sizes) {
    TORCH_CHECK(s >= 0, "negative dimension ", s);
    numel *= s;
  }
  at::Tensor result;
  if (numel == 0) {
    result = at::empty(sizes, options);
  } else {
    TORCH_CHECK(data != nullptr, "null data");
    auto* base = static_cast<char*>(const_cast<void*>(data)) + storage_offset * c10::elementSize(options.dtype().toScalarType());
    at::Tensor view = strides != nullptr
        ? at::from_blob(base, sizes, std::vector<int64_t>(strides, strides + ndim), options)
        : at::from_blob(base, sizes, options);
    result = view.clone(at::MemoryFormat::Contiguous);
  }
  if (device_type != 0) {
    result = result.to(c10::Device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
  }
  return Own(std::move(result));
  HP_CATCH(nullptr)
}

void hp_tensor_free(void* t) { delete static_cast<at::Tensor*>(t); }

int32_t hp_tensor_ndim(void* t) {
  HP_TRY
  return static_cast<int32_t>(T(t).dim());
  HP_CATCH(-1)
}

int32_t hp_tensor_shape(void* t, int64_t* shape, int32_t capacity) {
  HP_TRY
  auto sizes = T(t).sizes();
  TORCH_CHECK(static_cast<int64_t>(sizes.size()) <= capacity, "shape buffer too small");
  for (size_t k = 0; k < sizes.size(); ++k) shape[k] = sizes[k];
  return static_cast<int32_t>(sizes.size());
  HP_CATCH(-1)
}

int32_t hp_tensor_dtype(void* t) {
  HP_TRY
  return static_cast<int32_t>(T(t).scalar_type());
  HP_CATCH(-1)
}

int32_t hp_tensor_device(void* t, int32_t* device_index) {
  HP_TRY
  c10::Device device = T(t).device();
  *device_index = device.has_index() ? device.index() : 0;
  return static_cast<int32_t>(device.type());
  HP_CATCH(-1)
}

int32_t hp_tensor_copy_to(void* t, int32_t dtype, void* dst, int64_t nbytes) {
  HP_TRY
  at::Tensor src = T(t).detach().to(at::kCPU, static_cast<at::ScalarType>(dtype)).contiguous();
  int64_t expected = src.numel() * static_cast<int64_t>(src.element_size());
  TORCH_CHECK(expected == nbytes, "destination holds ", nbytes, " bytes, the tensor needs ", expected);
  if (nbytes > 0) std::memcpy(dst, src.data_ptr(), static_cast<size_t>(nbytes));
  return 0;
  HP_CATCH(-1)
}

int32_t hp_tensor_requires_grad(void* t) {
  HP_TRY
  return T(t).requires_grad() ? 1 : 0;
  HP_CATCH(-1)
}

int32_t hp_tensor_set_requires_grad(void* t, int32_t on) {
  HP_TRY
  T(t).set_requires_grad(on != 0);
  return 0;
  HP_CATCH(-1)
}

int32_t hp_tensor_grad(void* t, void** grad) {
  HP_TRY
  const at::Tensor& g = T(t).grad();
  *grad = g.defined() ? Own(g) : nullptr;
  return 0;
  HP_CATCH(-1)
}

int32_t hp_tensor_set_grad(void* t, void* grad) {
  HP_TRY
  T(t).mutable_grad() = grad == nullptr ? at::Tensor() : T(grad);
  return 0;
  HP_CATCH(-1)
}

int32_t hp_tensor_backward(void* t, void* grad, int32_t retain_graph) {
  HP_TRY
  at::Tensor gradient = grad == nullptr ? at::Tensor() : T(grad);
  T(t).backward(gradient, retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt, false);
  return 0;
  HP_CATCH(-1)
}

int32_t hp_tensor_same(void* a, void* b) {
  HP_TRY
  return T(a).is_same(T(b)) ? 1 : 0;
  HP_CATCH(-1)
}

void* hp_op_find(const char* name, const char* overload) {
  HP_TRY
  return new c10::OperatorHandle(c10::Dispatcher::singleton().findSchemaOrThrow(name, overload));
  HP_CATCH(nullptr)
}

int32_t hp_op_call(void* op, const hp_arg* args, int32_t nargs, hp_arg* outs, int32_t capacity) {
  HP_TRY
  auto& handle = *static_cast<c10::OperatorHandle*>(op);
  const c10::FunctionSchema& schema = handle.schema();
  const auto& arguments = schema.arguments();
  TORCH_CHECK(nargs <= static_cast<int32_t>(arguments.size()), schema.name(), ": ", nargs,
              " arguments given, the schema takes ", arguments.size());
  torch::jit::Stack stack;
  stack.reserve(arguments.size());
  for (size_t k = 0; k < arguments.size(); ++k) {
    const c10::Argument& argument = arguments[k];
    if (static_cast<int32_t>(k) < nargs && args[k].kind != HP_DEFAULT) {
      stack.push_back(ToIValue(args[k], argument));
    } else {
      TORCH_CHECK(argument.default_value().has_value(), schema.name(), ": argument '", argument.name(),
                  "' has no default value");
      stack.push_back(*argument.default_value());
    }
  }
  handle.callBoxed(&stack);
  int32_t count = 0;
  for (const auto& value : stack) Emit(value, outs, capacity, count);
  return count;
  HP_CATCH(-1)
}

}  // extern "C"
