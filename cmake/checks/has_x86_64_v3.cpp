// Configure-time probe (cmake/native-isa.cmake): exits 0 when this CPU runs x86-64-v3 code
// (AVX2, FMA, BMI1/2, F16C: the features both GCC and clang can query; every CPU with them
// also has the rest of the level: MOVBE, LZCNT, XSAVE).
int main() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  const bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                  __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
                  __builtin_cpu_supports("f16c");
  return v3 ? 0 : 1;
#else
  return 1;
#endif
}
