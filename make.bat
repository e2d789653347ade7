@ECHO OFF

pushd %~dp0

REM Command file for Sphinx documentation (as sphinx-quickstart writes it), with paper-kb's
REM options: every warning fails the build, the seeds folder, STRICT, and the book's targets
REM (latex, latexpdf, epub) with their own doctrees. See the Makefile.

if "%SPHINXBUILD%" == "" (
	set SPHINXBUILD=.venv\Scripts\python -m sphinx
)
if "%SEEDS%" == "" set SEEDS=seeds
if "%BUILDDIR%" == "" set BUILDDIR=_build
if "%STRICT%" == "" set STRICT=1
set SOURCEDIR=.

if "%1" == "" goto help

set DOCTREES=%BUILDDIR%\doctrees
for %%b in (latex latexpdf epub) do if "%1" == "%%b" set DOCTREES=%BUILDDIR%\doctrees-book

%SPHINXBUILD% >NUL 2>NUL
if errorlevel 9009 (
	echo.
	echo.The Sphinx module was not found. Create the virtual environment first:
	echo.  py -3.11 -m venv .venv
	echo.  .venv\Scripts\python -m pip install -r requirements.txt
	exit /b 1
)

%SPHINXBUILD% -M %1 %SOURCEDIR% %BUILDDIR% -W --keep-going -q -D paperkb_seeds=%SEEDS% -D paperkb_strict=%STRICT% %SPHINXOPTS% %O% -d %DOCTREES%
goto end

:help
%SPHINXBUILD% -M help %SOURCEDIR% %BUILDDIR% %SPHINXOPTS% %O%

:end
popd
