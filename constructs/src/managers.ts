// Lookups of DigiCert ONE managers and their roles through the
// digicertone_roles and digicertone_managers data sources.

import { TerraformIterator, Token } from "cdktf";
import { Construct } from "constructs";
import { z } from "zod";
import { DataDigicertoneManagers } from "./generated/data-digicertone-managers";
import { DataDigicertoneRoles } from "./generated/data-digicertone-roles";
import {
  lookupOptionsShape,
  mergeOptions,
  validateLookup,
  type LookupOptions,
} from "./lookup-options";
import { managerCodeProblem } from "./service-user-validation";
import { addProblem, typeError } from "./validation";

/**
 * The roles of one DigiCert ONE manager (the `digicertone_roles` data
 * source), for choosing role codes at plan instead of writing them down. A
 * manager code without roles for the API key fails the plan with the codes
 * that have roles.
 */
export class ManagerRoles extends Construct {
  /**
   * Looks up the roles of a manager by its lowercase code, such as
   * `software_trust`. The code may be a token.
   */
  static of(scope: Construct, id: string, manager: string, options?: LookupOptions): ManagerRoles {
    return new ManagerRoles(scope, id, manager, options);
  }

  /** The generated `digicertone_roles` data source. */
  readonly dataSource: DataDigicertoneRoles;

  /** The manager code that was looked up. */
  readonly manager: string;

  /** The manager's id, which the API calls the application id, as a token. */
  readonly managerId: string;

  /** The uppercase codes of the manager's roles, sorted by code, as a token list. */
  readonly roleCodes: string[];

  private constructor(scope: Construct, id: string, manager: string, options: LookupOptions | undefined) {
    super(scope, id);

    validateLookup(
      this,
      "ManagerRoles.of",
      {
        ...lookupOptionsShape,
        manager: z
          .string({ error: typeError("manager", 'a lowercase manager code, such as "software_trust"') })
          .superRefine((value, ctx) => {
            const problem = managerCodeProblem(value);
            if (problem !== undefined) addProblem(ctx, problem);
          }),
      },
      mergeOptions(this, "ManagerRoles.of", { manager }, options),
    );

    this.manager = manager;
    this.dataSource = new DataDigicertoneRoles(this, "Default", {
      manager,
      provider: options?.provider,
    });
    this.managerId = this.dataSource.managerId;
    // Keyed by code, which is unique within a manager, so the list is in
    // code order, as the data source sorts it.
    const roles = TerraformIterator.fromComplexList(this.dataSource.roles, "code");
    this.roleCodes = Token.asList(roles.pluckProperty("code"));
  }
}

/**
 * The DigiCert ONE managers that have roles for the provider's API key
 * (the `digicertone_managers` data source). The API has no list of
 * managers, so the provider requests the roles of each manager code built
 * into it and lists those with at least one role.
 */
export class DigicertOneManagers extends Construct {
  /** The generated `digicertone_managers` data source. */
  readonly dataSource: DataDigicertoneManagers;

  /** The lowercase manager codes, sorted, as a token list. */
  readonly codes: string[];

  constructor(scope: Construct, id: string, options: LookupOptions = {}) {
    super(scope, id);

    validateLookup(this, "DigicertOneManagers", lookupOptionsShape, options);

    this.dataSource = new DataDigicertoneManagers(this, "Default", { provider: options.provider });
    const managers = TerraformIterator.fromComplexList(this.dataSource.managers, "code");
    this.codes = Token.asList(managers.pluckProperty("code"));
  }
}
