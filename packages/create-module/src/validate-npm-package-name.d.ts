declare module 'validate-npm-package-name' {
  interface Validity {
    validForNewPackages: boolean;
    validForOldPackages: boolean;
    errors?: string[];
    warnings?: string[];
  }
  export default function validate(name: string): Validity;
}
