// The digicertone_service_user suite again, with every Terraform command
// reattached to a long-lived provider (DIGICERT_ONE_TEST_REATTACH=1), so the
// default test run covers that mode. The variable must be set before the
// harness loads, hence require instead of import.

process.env.DIGICERT_ONE_TEST_REATTACH = "1";
require("./service-user.test");
