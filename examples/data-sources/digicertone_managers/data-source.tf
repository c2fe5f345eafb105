data "digicertone_managers" "all" {}

output "manager_codes" {
  value = data.digicertone_managers.all.managers[*].code
}
