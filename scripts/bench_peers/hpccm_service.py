# hpc-container-maker recipe: the FastAPI service of profiles/service-lite
# (requirements.txt and app/ in the build context): a virtual environment built on
# the devel image, copied onto the base image with the interpreter from apt.
# With framework=1, the PyTorch service of profiles/torch-service: torch and
# torchvision from PyPI in a pip step of their own before the service's packages
# (so that a change to requirements.txt does not reinstall torch), and its LOG_LEVEL.
# Generate: hpccm --recipe hpccm_service.py --userarg registry=R [framework=1]
registry = USERARG.get('registry', 'nvidia')
framework = USERARG.get('framework', '') == '1'

Stage0 += baseimage(image=registry + '/cuda:13.0.2-devel-ubuntu24.04', _as='devel')
Stage0 += packages(ospackages=['python3', 'python3-venv', 'python3-dev'])
Stage0 += shell(commands=['python3 -m venv /opt/venv'])
Stage0 += environment(variables={'PATH': '/opt/venv/bin:$PATH'})
if framework:
    Stage0 += pip(pip='/opt/venv/bin/pip', ospackages=[], packages=['torch==2.13.0', 'torchvision==0.28.0'])
Stage0 += pip(pip='/opt/venv/bin/pip', ospackages=[], requirements='requirements.txt')

Stage1 += baseimage(image=registry + '/cuda:13.0.2-base-ubuntu24.04')
Stage1 += packages(ospackages=['python3'])
Stage1 += shell(commands=['useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin app'])
Stage1 += copy(_from='devel', src='/opt/venv', dest='/opt/venv')
Stage1 += copy(src='app/', dest='/app')
Stage1 += environment(variables=dict({'PATH': '/opt/venv/bin:$PATH'}, **({'LOG_LEVEL': 'info'} if framework else {})))
Stage1 += workdir(directory='/app')
Stage1 += user(user='10001:10001')
Stage1 += raw(docker='EXPOSE 8000')
Stage1 += raw(docker='CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"]')
