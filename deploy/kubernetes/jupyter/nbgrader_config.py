"""System-wide nbgrader configuration of the class image (/etc/jupyter/nbgrader_config.py).

Read by nbgrader in every learner's server and in the formgrader: the course
id and the exchange, a shared ReadWriteMany volume mounted at the same path in
every pod (deploy/kubernetes/values.yaml, formgrader.yaml). The exchange folder
must be owned by root with mode 1777, as nbgrader's file-system exchange
requires; the formgrader's init container sets that.
"""

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

c.CourseDirectory.course_id = "nmops"
c.Exchange.root = "/srv/nbgrader/exchange"
