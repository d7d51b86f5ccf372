# hpc-container-maker recipe: the program of profiles/cuda-cpp (src/ in the build
# context), compiled on the devel image for sm_80 and sm_90 + PTX, shipped on the
# base image. Generate: hpccm --recipe hpccm_cuda_cpp.py --userarg registry=R extra_apt=PKG
registry = USERARG.get('registry', 'nvidia')
extra = [p for p in USERARG.get('extra_apt', '').split(',') if p]

Stage0 += baseimage(image=registry + '/cuda:13.0.2-devel-ubuntu24.04', _as='devel')
Stage0 += packages(ospackages=['cmake', 'make', 'g++'] + extra)
Stage0 += copy(src='src/', dest='/src')
Stage0 += shell(commands=[
    'cmake -S /src -B /src/build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="80-real;90"',
    'cmake --build /src/build -j"$(nproc)"'])

Stage1 += baseimage(image=registry + '/cuda:13.0.2-base-ubuntu24.04')
Stage1 += shell(commands=['useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin app'])
Stage1 += copy(_from='devel', src='/src/build/saxpy', dest='/usr/local/bin/saxpy')
Stage1 += user(user='10001:10001')
Stage1 += runscript(commands=['/usr/local/bin/saxpy'])
