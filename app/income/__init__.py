"""Technical-income verification (技术性收入核定): the applicant declares income received under a registered contract
and its costs, the station verifies the technical income and issues a signed 核定表, realised income is totalled."""
