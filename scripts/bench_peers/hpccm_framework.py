# hpc-container-maker recipe: the PyTorch service of profiles/torch-service
# (torch and torchvision from PyPI, the service's own packages in requirements.txt,
# app/ in the build context): a virtual environment on the devel image with the
# framework in a pip step of its own before the service's packages (so that a change
# to requirements.txt does not reinstall torch), copied onto the base image.
# Generate: hpccm --recipe hpccm_framework.py --userarg registry=R
registry = USERARG.get('registry', 'nvidia')

Stage0 += baseimage(image=registry + '/cuda:13.0.2-devel-ubuntu24.04', _as='devel')
Stage0 += packages(ospackages=['python3', 'python3-venv', 'python3-dev'])
Stage0 += shell(commands=['python3 -m venv /opt/venv'])
Stage0 += environment(variables={'PATH': '/opt/venv/bin:$PATH'})
Stage0 += pip(pip='/opt/venv/bin/pip', ospackages=[], packages=['torch==2.13.0', 'torchvision==0.28.0'])
Stage0 += pip(pip='/opt/venv/bin/pip', ospackages=[], requirements='requirements.txt')

Stage1 += baseimage(image=registry + '/cuda:13.0.2-base-ubuntu24.04')
Stage1 += packages(ospackages=['python3'])
Stage1 += shell(commands=['useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin app'])
Stage1 += copy(_from='devel', src='/opt/venv', dest='/opt/venv')
Stage1 += copy(src='app/', dest='/app')
Stage1 += environment(variables={'PATH': '/opt/venv/bin:$PATH', 'LOG_LEVEL': 'info'})
Stage1 += workdir(directory='/app')
Stage1 += user(user='10001:10001')
Stage1 += raw(docker='EXPOSE 8000')
Stage1 += raw(docker='CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]')
